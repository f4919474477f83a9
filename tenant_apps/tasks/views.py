"""Task pages: the lists, a task, the create/edit form, complete/reopen and delete.
Times are shown and entered in the workspace's time zone."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.decorators import permission_required
from shared_apps.accounts.rules import can
from tenant_apps.records.errors import RecordPermissionError, RecordValidationError
from tenant_apps.records.export_views import export_response
from tenant_apps.records.exports import FORMATS, list_export_record

from .exports import task_list_export
from .forms import TaskForm, task_initial, task_link_value
from .models import Task
from .selectors import (
    RECORD_LABELS,
    RECORD_TYPES,
    SCOPE_LABELS,
    SCOPES,
    assignable_members,
    link_label,
    link_parse,
    linkable_record,
    linkable_records,
    may_see_all_tasks,
    request_zone,
    task_counts,
    task_filters_parse,
    task_get,
    task_list,
    tasks_annotate,
)
from .services import can_change_task, task_complete, task_create, task_delete, task_reopen, task_update

PAGE_SIZE = 50
SCOPE_URLS = {scope: "task_list" if scope == "mine" else f"task_list_{scope}" for scope in SCOPES}


def _next_url(request) -> str:
    """The `next` page to return to, if it is a path on this host."""
    url = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if (
        url.startswith("/")
        and not url.startswith("//")
        and "\\" not in url
        and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    ):
        return url
    return ""


def _task_or_404(request, pk) -> Task:
    task = task_get(user=request.user, pk=pk)
    if task is None:
        raise Http404(_("This task does not exist or you cannot see it."))
    return task


def _render(request, template, context):
    with timezone.override(request_zone(request)):
        return render(request, template, context)


# --- lists --------------------------------------------------------------------------


def _list(request, scope: str):
    if scope == "all" and not may_see_all_tasks(request.user):
        raise PermissionDenied
    zone = request_zone(request)
    now = timezone.now()
    filters = task_filters_parse(request.GET, scope=scope)
    page = Paginator(task_list(user=request.user, scope=scope, filters=filters, zone=zone, now=now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    tabs = [
        {"scope": s, "label": SCOPE_LABELS[s], "url": reverse(SCOPE_URLS[s])}
        for s in SCOPES
        if s != "all" or may_see_all_tasks(request.user)
    ]
    return _render(
        request,
        "tasks/list.html",
        {
            "scope": scope,
            "scope_label": SCOPE_LABELS[scope],
            "tabs": tabs,
            "counts": task_counts(user=request.user, zone=zone, now=now),
            "filters": filters,
            "members": list(assignable_members()) if scope != "mine" else [],
            "priorities": Task.Priority.choices,
            "record_types": [(kind, RECORD_LABELS[kind]) for kind in RECORD_TYPES],
            "page": page,
            "tasks": tasks_annotate(page.object_list, user=request.user, now=now),
            "query_string": params.urlencode(),
            "can_add": can(request.user, "tasks.add_task"),
            "can_export": can(request.user, "records.export"),
            "here": request.get_full_path(),
        },
    )


@permission_required("records.export")
def task_list_export_view(request, scope):
    """One task list, with its filters and every page, as CSV or XLSX (managers and up)."""
    if scope not in SCOPES:
        raise Http404
    if scope == "all" and not may_see_all_tasks(request.user):
        raise PermissionDenied
    params = request.GET.copy()
    file_format = params.pop("format", ["csv"])[-1]
    params.pop("page", None)
    if file_format not in FORMATS:
        messages.error(request, _("Choose CSV or Excel (XLSX) to export."))
        return redirect(f"{reverse(SCOPE_URLS[scope])}?{params.urlencode()}")
    list_export_record(entity="task", file_format=file_format, query_string=f"scope={scope}&{params.urlencode()}",
                       actor=request.user, request=request)
    filters = task_filters_parse(params, scope=scope)
    return export_response(task_list_export(user=request.user, scope=scope, filters=filters,
                                            zone=request_zone(request), file_format=file_format))


@permission_required("workspace.view")
def task_list_mine(request):
    return _list(request, "mine")


@permission_required("workspace.view")
def task_list_today(request):
    return _list(request, "today")


@permission_required("workspace.view")
def task_list_overdue(request):
    return _list(request, "overdue")


@permission_required("workspace.view")
def task_list_upcoming(request):
    return _list(request, "upcoming")


@permission_required("workspace.view")
def task_list_done(request):
    return _list(request, "done")


@permission_required("workspace.view")
def task_list_all(request):
    return _list(request, "all")


# --- one task -----------------------------------------------------------------------


@permission_required("workspace.view")
def task_detail(request, pk):
    task = _task_or_404(request, pk)
    tasks_annotate([task], user=request.user)
    return _render(request, "tasks/detail.html", {"task": task, "here": request.get_full_path()})


def _link_choices(request, value: str, found=()) -> list[tuple[str, str]]:
    """The linked-record select: the current value (named only if visible) and search hits."""
    choices = []
    parsed = link_parse(value)
    if parsed:
        record = linkable_record(user=request.user, value=value)
        label = link_label(parsed[0], record) if record is not None else f"{RECORD_LABELS[parsed[0]]} #{parsed[1]}"
        choices.append((value, label))
    choices.extend(choice for choice in found if choice[0] != value)
    return choices


def _form_page(request, *, task: Task | None):
    """Create (task None) or edit. A press of "Search" re-shows the form with the records
    found, keeping what was typed; a save goes through the service, whose errors come back
    on the form and nothing is written."""
    zone = request_zone(request)
    assignees = [(m.user_id, m.user.display_name) for m in assignable_members()]
    if task is not None and task.assignee_id and all(pk != task.assignee_id for pk, _name in assignees):
        # Shown, so that the form opens as it is; saving it asks for a member (service).
        assignees.append((task.assignee_id, _("%(name)s (not a member)") % {"name": task.assignee.display_name}))
    next_url = _next_url(request)
    searching = request.method == "POST" and "find_record" in request.POST
    found = []
    if request.method == "POST":
        link = request.POST.get("link", "")
    elif task is not None:
        link = task_link_value(task)
    else:
        link = request.GET.get("link", "")
    if searching:
        query = request.POST.get("link_query", "").strip()[:100]
        found = linkable_records(user=request.user, q=query)
        if not found:
            messages.info(request, _("No contact, company or deal matches “%(query)s”.") % {"query": query})
        elif not link and len(found) == 1:
            link = found[0][0]
    if task is not None:
        initial = task_initial(task, zone)
    else:
        initial = {"assignee": request.user.pk, "priority": Task.Priority.NORMAL, "link": link}
    if searching:
        initial = {**initial, **request.POST.dict(), "link": link}
    bound = request.POST if request.method == "POST" and not searching else None
    form = TaskForm(bound, initial=initial, assignees=assignees, link_choices=_link_choices(request, link, found), zone=zone)
    if bound is not None and form.is_valid():
        try:
            if task is None:
                saved = task_create(actor=request.user, data=form.service_data(actor=request.user))
            else:
                saved = task_update(task=task, actor=request.user, data=form.service_data(actor=request.user, task=task))
        except RecordValidationError as exc:
            form.add_service_errors(exc.errors)
        except RecordPermissionError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        else:
            if task is None:
                messages.success(request, _("Task “%(title)s” created.") % {"title": saved.title})
            else:
                messages.success(request, _("Task “%(title)s” saved.") % {"title": saved.title})
            return redirect(next_url or reverse("task_detail", args=[saved.pk]))
    return _render(
        request,
        "tasks/form.html",
        {"form": form, "task": task, "next": next_url, "cancel_url": next_url or reverse("task_list")},
    )


@permission_required("tasks.add_task")
def task_create_view(request):
    return _form_page(request, task=None)


@permission_required("workspace.view")
def task_edit_view(request, pk):
    task = _task_or_404(request, pk)
    if not can_change_task(request.user, task):
        raise PermissionDenied
    return _form_page(request, task=task)


def _change_status(request, pk, *, done: bool):
    task = _task_or_404(request, pk)
    back = _next_url(request) or reverse("task_list")
    if not can_change_task(request.user, task):
        messages.error(request, _("You cannot change this task."))
        return redirect(back)
    if task.is_done == done:
        messages.info(request, _("Nothing to change: the task was already done.") if done else _("Nothing to change: the task was already open."))
        return redirect(back)
    if done:
        task_complete(task=task, actor=request.user)
        messages.success(request, _("“%(title)s” is done.") % {"title": task.title})
    else:
        task_reopen(task=task, actor=request.user)
        messages.success(request, _("“%(title)s” is open again.") % {"title": task.title})
    return redirect(back)


@permission_required("workspace.view")
@require_POST
def task_complete_view(request, pk):
    return _change_status(request, pk, done=True)


@permission_required("workspace.view")
@require_POST
def task_reopen_view(request, pk):
    return _change_status(request, pk, done=False)


@permission_required("workspace.view")
def task_delete_view(request, pk):
    task = _task_or_404(request, pk)
    if not can_change_task(request.user, task):
        raise PermissionDenied
    next_url = _next_url(request)
    if next_url.startswith(reverse("task_detail", args=[task.pk])):
        next_url = ""  # the task's own pages are gone afterwards
    if request.method == "POST":
        title = task.title
        task_delete(task=task, actor=request.user)
        messages.success(request, _("Task “%(title)s” deleted.") % {"title": title})
        return redirect(next_url or reverse("task_list"))
    return _render(request, "tasks/delete.html", {"task": task, "next": next_url})
