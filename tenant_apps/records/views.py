"""Endpoints every record list uses: bulk actions, inline edit, saved views."""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.decorators import permission_required
from shared_apps.accounts.rules import can

from .bulk import records_bulk_change, records_bulk_delete
from .errors import RecordError, RecordValidationError, deny_if_forbidden
from .list_views import Column
from .listing import entity_list
from .models import Entity, SavedView
from .settings_services import saved_view_delete, saved_view_save
from .visibility import visible

# Fields that can be edited in place in a list, per record type, with their editor.
INLINE_FIELDS = {
    "contact": {"owner": "owner", "lifecycle_stage": "lifecycle_stage", "job_title": "text", "city": "text"},
    "company": {"owner": "owner", "lifecycle_stage": "lifecycle_stage", "city": "text"},
    "deal": {"owner": "owner", "stage": "stage", "amount": "number", "expected_close_date": "date"},
}


CHANGE_PERMISSIONS = {"contact": "contacts.change_contact", "company": "companies.change_company",
                      "deal": "deals.change_deal"}


def _entity_or_404(entity):
    if entity not in Entity.values:
        raise Http404
    return entity


def _back(request, default="/"):
    target = request.POST.get("next") or default
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else default


@permission_required("workspace.view")
@require_POST
def bulk(request, entity):
    entity = _entity_or_404(entity)
    ids = request.POST.getlist("ids")
    action = request.POST.get("action", "")
    try:
        if request.POST.get("do") == "delete":
            count = records_bulk_delete(entity=entity, ids=ids, actor=request.user)
            messages.success(request, _("Deleted %(n)d records.") % {"n": count})
        else:
            value = request.POST.get({"owner": "owner_value", "add_tag": "tag_value", "stage": "stage_value",
                                      "lifecycle_stage": "lifecycle_value"}.get(action, "value"), "")
            count = records_bulk_change(entity=entity, ids=ids, actor=request.user, action=action, value=value)
            messages.success(request, _("Changed %(n)d records.") % {"n": count})
    except RecordValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.errors.values()) or exc.message)
    except RecordError as exc:
        deny_if_forbidden(exc)
        messages.error(request, exc.message)
    from django.urls import reverse

    return redirect(_back(request, default=reverse(entity_list(entity).url_name)))


@permission_required("workspace.view")
@require_POST
def inline(request, entity, pk):
    """Change one field of one record from a list cell; answers with the new cell."""
    from .bulk import record_services

    entity = _entity_or_404(entity)
    record = get_object_or_404(visible(entity_list(entity).queryset(request.user), request.user), pk=pk)
    if not can(request.user, CHANGE_PERMISSIONS[entity], record):
        return JsonResponse({"error": _("You do not have permission to do that.")}, status=403)
    field = request.POST.get("field", "")
    if field not in INLINE_FIELDS[entity]:
        return JsonResponse({"error": _("This field cannot be changed here.")}, status=400)
    update, _delete = record_services(entity)
    try:
        update(**{entity: record}, actor=request.user, data={field: request.POST.get("value", "")}, door="inline")
    except RecordValidationError as exc:
        return JsonResponse({"error": " ".join(str(m) for m in exc.errors.values())}, status=400)
    except RecordError as exc:
        return JsonResponse({"error": str(exc.message)}, status=403)
    record = entity_list(entity).queryset(request.user).get(pk=record.pk)
    config = entity_list(entity)
    column = Column(field, config.column(field).label if config.column(field) else field, False)
    html = render_to_string("records/_cell.html", {"record": record, "column": column}, request=request)
    return HttpResponse(html)


@permission_required("records.manage_views")
@require_POST
def saved_view_save_view(request, entity):
    entity = _entity_or_404(entity)
    try:
        view = saved_view_save(
            actor=request.user, entity=entity, name=request.POST.get("name", ""), query=request.POST.get("query", ""),
            is_shared=bool(request.POST.get("is_shared")),
        )
    except RecordValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.errors.values()))
        return redirect(entity_list(entity).url_name)
    except RecordError as exc:
        deny_if_forbidden(exc)
        messages.error(request, exc.message)
        return redirect(entity_list(entity).url_name)
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    from django.urls import reverse

    return redirect(f"{reverse(entity_list(entity).url_name)}?view={view.pk}")


@permission_required("records.manage_views")
@require_POST
def saved_view_delete_view(request, pk):
    from django.db.models import Q

    view = get_object_or_404(SavedView.objects.filter(Q(owner=request.user) | Q(is_shared=True)), pk=pk)
    try:
        saved_view_delete(view=view, actor=request.user)
    except RecordError as exc:
        deny_if_forbidden(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The view has been deleted."))
    return redirect(entity_list(view.entity).url_name)
