"""Timeline endpoints: log an activity on a record, edit or delete it, more entries,
CSV export of a record's timeline."""

import csv

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.decorators import permission_required
from tenant_apps.records.errors import RecordError, RecordNotFound, RecordValidationError, deny_if_forbidden
from tenant_apps.records.exports import spreadsheet_safe
from tenant_apps.records.visibility import visible_activities

from .forms import ActivityForm
from .models import Activity
from .selectors import timeline_for
from .services import activity_can_edit_or_raise, activity_delete, activity_log, activity_update



def _record(request, entity, pk):
    from tenant_apps.companies.selectors import company_get
    from tenant_apps.contacts.selectors import contact_get
    from tenant_apps.deals.selectors import deal_get

    getters = {"contact": contact_get, "company": company_get, "deal": deal_get}
    if entity not in getters:
        raise Http404
    try:
        return getters[entity](user=request.user, pk=pk)
    except RecordNotFound as exc:
        raise Http404 from exc


def _back(record, anchor="timeline"):
    return redirect(f"{record.get_absolute_url()}#{anchor}")


@permission_required("activities.log")
@require_POST
def activity_log_view(request, entity, pk):
    record = _record(request, entity, pk)
    form = ActivityForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()))
        return _back(record)
    data = form.cleaned_data
    try:
        activity_log(
            actor=request.user, kind=data["kind"], subject=data["subject"], body=data["body"],
            occurred_at=data["occurred_at"] or timezone.now(), duration_minutes=data["duration_minutes"],
            direction=data["direction"], outcome=data["outcome"], **{entity: record},
        )
    except RecordValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.errors.values()))
    except RecordError as exc:
        deny_if_forbidden(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Added to the timeline."))
    return _back(record)


def _activity(request, pk) -> Activity:
    return get_object_or_404(visible_activities(Activity.objects.select_related("contact", "company", "deal"), request.user), pk=pk)


def _owner_record(activity):
    return activity.deal or activity.contact or activity.company


@permission_required("workspace.view")
def activity_edit_view(request, pk):
    activity = _activity(request, pk)
    try:
        activity_can_edit_or_raise(activity, request.user)
    except RecordError as exc:
        deny_if_forbidden(exc)
    form = ActivityForm(
        request.POST if request.method == "POST" else None,
        initial={"kind": activity.kind, "subject": activity.subject, "body": activity.body,
                 "occurred_at": timezone.localtime(activity.occurred_at), "duration_minutes": activity.duration_minutes,
                 "direction": activity.direction, "outcome": activity.outcome},
    )
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity_update(activity=activity, actor=request.user, subject=data["subject"], body=data["body"],
                            occurred_at=data["occurred_at"], duration_minutes=data["duration_minutes"],
                            direction=data["direction"], outcome=data["outcome"])
        except RecordValidationError as exc:
            for key, message in exc.errors.items():
                form.add_error(key if key in form.fields else None, message)
        except RecordError as exc:
            deny_if_forbidden(exc)
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return _back(_owner_record(activity))
    return render(request, "activities/edit.html", {"form": form, "activity": activity, "record": _owner_record(activity)})


@permission_required("workspace.view")
@require_POST
def activity_delete_view(request, pk):
    activity = _activity(request, pk)
    record = _owner_record(activity)
    try:
        activity_delete(activity=activity, actor=request.user)
    except RecordError as exc:
        deny_if_forbidden(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Removed from the timeline."))
    return _back(record)


@permission_required("workspace.view")
def timeline_more(request, entity, pk):
    """The next entries of a record's timeline (HTML fragment, or a page without JS)."""
    record = _record(request, entity, pk)
    kinds = request.GET.getlist("kind") or None
    entries = list(timeline_for(user=request.user, kinds=kinds, before_id=request.GET.get("before"), limit=51, **{entity: record}))
    context = {"timeline": entries[:50], "timeline_more": entries[49].pk if len(entries) > 50 else None,
               "record": record, "entity": entity, "kinds": kinds or []}
    template = "records/_timeline_entries.html" if request.headers.get("X-Requested-With") else "activities/more.html"
    return render(request, template, context)


class _Echo:
    def write(self, value):
        return value


@permission_required("workspace.view")
def timeline_export(request, entity, pk):
    """The whole timeline of a record as CSV (spreadsheet formulas neutralised)."""
    record = _record(request, entity, pk)
    qs = visible_activities(Activity.objects.filter(**{entity: record}).select_related("author"), request.user)
    kinds = request.GET.getlist("kind")
    if kinds:
        qs = qs.filter(kind__in=kinds)
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow([_("When"), _("Type"), _("Event"), _("Subject"), _("Text"), _("By")])
        for a in qs.order_by("-occurred_at", "-pk").iterator(chunk_size=500):
            cells = (a.occurred_at.isoformat(), a.get_kind_display(), a.event, a.subject, a.body,
                     a.author.email if a.author else "")
            yield writer.writerow([spreadsheet_safe(cell) for cell in cells])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="timeline-{entity}-{record.pk}.csv"'
    return response


