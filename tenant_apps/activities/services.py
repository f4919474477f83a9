"""Writing the timeline: activities people log, and events the system records."""

from django.db import transaction

from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.accounts.rules import can
from tenant_apps.records.errors import RecordPermissionError, RecordValidationError
from tenant_apps.records.history import history_context

from .markdown import markdown_to_safe_html
from .models import Activity, ActivityKind

LOGGABLE = (ActivityKind.NOTE, ActivityKind.CALL, ActivityKind.MEETING, ActivityKind.EMAIL)
MAX_BODY = 20_000


def _links(contact, company, deal):
    """An activity about a contact or deal also belongs on its company's timeline."""
    if company is None and deal is not None:
        company = deal.company
    if company is None and contact is not None:
        company = contact.company
    return contact, company, deal


def timeline_event(*, event: str, actor=None, contact=None, company=None, deal=None, data=None, subject="") -> Activity:
    """Record something that happened to a record (created, stage changed, won, ...)."""
    contact, company, deal = _links(contact, company, deal)
    return Activity.objects.create(
        kind=ActivityKind.SYSTEM,
        event=event,
        subject=subject[:200],
        data=data or {},
        occurred_at=timezone.now(),
        author=actor if getattr(actor, "pk", None) else None,
        contact=contact,
        company=company,
        deal=deal,
    )


def _touch(contact, company, deal, when) -> None:
    for record in (contact, company, deal):
        if record is not None:
            type(record).objects.filter(pk=record.pk).exclude(last_activity_at__gt=when).update(last_activity_at=when)


def _validate(kind, subject, body, duration_minutes, contact, company, deal):
    errors = {}
    if kind not in LOGGABLE:
        errors["kind"] = _("Choose a note, call, meeting or e-mail.")
    if contact is None and company is None and deal is None:
        errors["record"] = _("Link the activity to a contact, company or deal.")
    if kind == ActivityKind.NOTE and not (body or "").strip():
        errors["body"] = _("Write something.")
    if len(body or "") > MAX_BODY:
        errors["body"] = _("At most %(n)d characters.") % {"n": MAX_BODY}
    if len(subject or "") > 200:
        errors["subject"] = _("At most %(n)d characters.") % {"n": 200}
    if duration_minutes is not None and not (0 <= duration_minutes <= 24 * 60):
        errors["duration_minutes"] = _("Enter a duration between 0 and 1440 minutes.")
    if errors:
        raise RecordValidationError(errors)


def activity_log(
    *, actor, kind, contact=None, company=None, deal=None, subject="", body="", occurred_at=None,
    duration_minutes=None, direction="", outcome="", door: str = "ui",
) -> Activity:
    """Log a note, call, meeting or e-mail on a record's timeline; `door` (ui, api, ...)
    goes into the history context as for every record write."""
    if not can(actor, "activities.log"):
        raise RecordPermissionError()
    for record, perm in ((contact, "contacts.view_contact"), (company, "companies.view_company"), (deal, "deals.view_deal")):
        if record is not None and not can(actor, perm, record):
            raise RecordPermissionError()
    _validate(kind, subject, body, duration_minutes, contact, company, deal)
    contact, company, deal = _links(contact, company, deal)
    occurred_at = occurred_at or timezone.now()
    with transaction.atomic(), history_context(actor, door):
        activity = Activity.objects.create(
            kind=kind, subject=(subject or "").strip(), body=body or "", body_html=markdown_to_safe_html(body),
            occurred_at=occurred_at, duration_minutes=duration_minutes, direction=direction or "",
            outcome=outcome or "", author=actor, contact=contact, company=company, deal=deal,
        )
        _touch(contact, company, deal, occurred_at)
    return activity


def activity_update(*, activity: Activity, actor, subject=None, body=None, occurred_at=None, duration_minutes=None,
                    direction=None, outcome=None) -> Activity:
    """Edit a logged activity (its author, or a manager). System events never change."""
    activity_can_edit_or_raise(activity, actor)
    subject = activity.subject if subject is None else subject
    body = activity.body if body is None else body
    duration = activity.duration_minutes if duration_minutes is None else duration_minutes
    _validate(activity.kind, subject, body, duration, activity.contact, activity.company, activity.deal)
    activity.subject, activity.body, activity.body_html = subject.strip(), body, markdown_to_safe_html(body)
    activity.duration_minutes = duration
    if occurred_at is not None:
        activity.occurred_at = occurred_at
    if direction is not None:
        activity.direction = direction
    if outcome is not None:
        activity.outcome = outcome
    activity.save()
    return activity


def activity_can_edit_or_raise(activity: Activity, actor) -> None:
    if activity.kind == ActivityKind.SYSTEM:
        raise RecordPermissionError(_("System events cannot be changed."))
    if not can(actor, "activities.log"):
        raise RecordPermissionError()
    if activity.author_id != actor.pk and not can(actor, "records.bulk_delete"):
        raise RecordPermissionError()


def activity_delete(*, activity: Activity, actor) -> None:
    activity_can_edit_or_raise(activity, actor)
    activity.delete()


def activities_relink(*, model_field: str, from_ids, to_record) -> int:
    """Move timeline entries from merged-away records to the surviving one."""
    return Activity.objects.filter(**{f"{model_field}_id__in": list(from_ids)}).update(**{model_field: to_record})


