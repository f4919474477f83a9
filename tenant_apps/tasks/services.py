"""Writing tasks: create, change, complete, reopen, delete. A task with a due time has
its reminder scheduled (tenants.scheduling, kind "task_reminder"); task_reminders_send
sends it, once."""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from shared_apps.accounts.rules import can
from tenant_apps.records.errors import RecordPermissionError, RecordValidationError
from tenant_apps.records.history import history_context
from tenant_apps.records.services import resolve_member
from tenants.scheduling import job_cancel, job_done, job_schedule

from .models import Task

logger = logging.getLogger(__name__)
REMINDER = "task_reminder"
# A reminder may go out this much before its due time (clocks of web and worker hosts).
REMINDER_SLACK = timedelta(minutes=1)
PLAIN_FIELDS = ("title", "description", "due_at", "priority")


def _linked(data, actor, errors):
    """The linked record: at most one of contact, company, deal, and one you can see."""
    from tenant_apps.companies.models import Company
    from tenant_apps.contacts.models import Contact
    from tenant_apps.deals.models import Deal

    given = [(name, data[name]) for name in ("contact", "company", "deal") if data.get(name) not in (None, "")]
    if len(given) > 1:
        errors["record"] = _("Link a task to one record at most.")
        return {}
    links = {"contact": None, "company": None, "deal": None}
    for name, value in given:
        model = {"contact": Contact, "company": Company, "deal": Deal}[name]
        perm = {"contact": "contacts.view_contact", "company": "companies.view_company", "deal": "deals.view_deal"}[name]
        record = value if isinstance(value, model) else model.objects.filter(pk=_int(value)).first()
        if record is None or not can(actor, perm, record):
            errors[name] = _("Choose a record you can see.")
        links[name] = record
    return links


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _prepare(task: Task, data: dict, actor):
    errors: dict = {}
    for name in PLAIN_FIELDS:
        if name in data:
            value = data[name]
            setattr(task, name, value.strip() if isinstance(value, str) and name != "due_at" else value)
    if "assignee" in data:
        task.assignee = resolve_member(data["assignee"], errors=errors, field="assignee")
    if any(name in data for name in ("contact", "company", "deal")):
        links = _linked(data, actor, errors)
        for name, record in links.items():
            setattr(task, name, record)
    exclude = [f.name for f in Task._meta.fields if f.name in errors or f.name == "search"]
    try:
        task.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages[0])
    if not (task.title or "").strip():
        errors.setdefault("title", _("Enter what needs to be done."))
    if errors:
        raise RecordValidationError(errors)


def _schedule(task: Task) -> None:
    if task.status == Task.Status.OPEN and task.due_at and task.reminder_sent_at is None:
        job_schedule(kind=REMINDER, object_id=task.pk, due_at=task.due_at)
    else:
        job_cancel(kind=REMINDER, object_id=task.pk)


def can_change_task(actor, task: Task) -> bool:
    """Its assignee and its creator may; so may anyone who writes records and sees all."""
    from tenant_apps.records.rules import sees_only_own

    if not can(actor, "workspace.view"):
        return False
    if actor.pk in (task.assignee_id, task.created_by_id):
        return True
    return can(actor, "tasks.add_task") and not sees_only_own(actor)


def task_create(*, actor, data: dict, door: str = "ui") -> Task:
    """A new open task, assigned to `actor` unless `data` names an assignee. Keys: title,
    description, due_at, priority, assignee, and one of contact / company / deal."""
    if not can(actor, "tasks.add_task"):
        raise RecordPermissionError()
    task = Task(assignee=actor, created_by=actor)
    _prepare(task, data, actor)
    with transaction.atomic(), history_context(actor, door):
        task.save()
        _schedule(task)
    return task


def task_update(*, task: Task, actor, data: dict, door: str = "ui") -> Task:
    if not can_change_task(actor, task):
        raise RecordPermissionError()
    due_before = task.due_at
    _prepare(task, data, actor)
    if task.due_at != due_before:
        task.reminder_sent_at = None  # a new due time earns a new reminder
    with transaction.atomic(), history_context(actor, door):
        task.save()
        _schedule(task)
    return task


def task_complete(*, task: Task, actor) -> Task:
    if not can_change_task(actor, task):
        raise RecordPermissionError()
    with transaction.atomic(), history_context(actor, "ui"):
        task.status, task.completed_at, task.completed_by = Task.Status.DONE, timezone.now(), actor
        task.save(update_fields=["status", "completed_at", "completed_by", "updated_at"])
        _schedule(task)
    return task


def task_reopen(*, task: Task, actor) -> Task:
    if not can_change_task(actor, task):
        raise RecordPermissionError()
    with transaction.atomic(), history_context(actor, "ui"):
        task.status, task.completed_at, task.completed_by = Task.Status.OPEN, None, None
        task.save(update_fields=["status", "completed_at", "completed_by", "updated_at"])
        _schedule(task)
    return task


def task_delete(*, task: Task, actor) -> None:
    if not can_change_task(actor, task):
        raise RecordPermissionError()
    with transaction.atomic(), history_context(actor, "ui"):
        job_cancel(kind=REMINDER, object_id=task.pk)
        task.delete()


# --- reminders ----------------------------------------------------------------------


def _claim_reminders(task_ids: list[int], now) -> list[int]:
    """Mark the due, open, not yet reminded tasks among `task_ids` as reminded, in one
    statement: whoever runs it first gets the ids, a second run (or a racing worker,
    which waits on the row locks and re-checks) gets none."""
    if not task_ids:
        return []
    table = connection.ops.quote_name(Task._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET reminder_sent_at = %s"
            " WHERE id = ANY(%s) AND reminder_sent_at IS NULL AND status = %s"
            " AND due_at IS NOT NULL AND due_at <= %s RETURNING id",
            [now, task_ids, Task.Status.OPEN, now + REMINDER_SLACK],
        )
        return sorted(row[0] for row in cursor.fetchall())


def task_reminders_send(*, task_ids, now=None) -> list[int]:
    """Send the due-time reminder of each task in `task_ids` that is open, due and not yet
    reminded: an in-app notification and an e-mail (through the outbox) to its assignee,
    or its creator when it has none, in their language. Exactly once per due time,
    however often it runs; then the scheduled jobs that are finished are removed (a task
    whose due time moved later keeps its job). Returns the ids reminded."""
    from shared_apps.accounts.models import Membership

    ids = sorted({int(pk) for pk in task_ids})
    now = now or timezone.now()
    with transaction.atomic():
        claimed = _claim_reminders(ids, now)
        tasks = list(
            Task.objects.filter(pk__in=claimed).select_related("assignee", "created_by", "contact", "company", "deal")
        )
        recipients = {task.pk: task.assignee or task.created_by for task in tasks}
        members = set(
            Membership.objects.filter(
                tenant_id=connection.tenant.pk, user_id__in={u.pk for u in recipients.values() if u is not None}
            ).values_list("user_id", flat=True)
        )
        if tasks:
            context = _reminder_context()
            for task in tasks:
                user = recipients[task.pk]
                if user is None or not user.is_active or user.pk not in members:
                    logger.info("Task %s is due but has nobody in the workspace to remind", task.pk)
                    continue
                _remind(task, user, context)
        later = set(
            Task.objects.filter(
                pk__in=ids, status=Task.Status.OPEN, reminder_sent_at__isnull=True, due_at__gt=now + REMINDER_SLACK
            ).values_list("pk", flat=True)
        )
        job_done(kind=REMINDER, object_ids=[pk for pk in ids if pk not in later])
    return claimed


def _reminder_context() -> dict:
    """What every reminder of this run shares: the workspace, its clock, language, brand."""
    from tenant_apps.workspace.selectors import workspace_language
    from tenants.hosts import tenant_url
    from themes.selectors import branding_get

    from .selectors import workspace_zone

    tenant = connection.tenant
    return {
        "workspace": tenant,
        "origin": tenant_url(tenant, "/").rstrip("/"),
        "zone": workspace_zone(),
        "language": workspace_language(),
        "brand": branding_get(),
    }


def _record_path(record) -> str:
    try:
        return record.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return ""


def _remind(task: Task, user, shared: dict) -> None:
    from tenant_apps.notifications.services import notification_create

    from .selectors import RECORD_LABELS, linked_record

    language = user.language or shared["language"]
    path = reverse("task_detail", urlconf="config.urls_app", args=[task.pk])
    kind, record = linked_record(task)
    record_path = _record_path(record) if record is not None else ""
    with translation.override(language), timezone.override(shared["zone"]):
        context = {
            **shared,
            "task": task,
            "user": user,
            "url": shared["origin"] + path,
            "record": record,
            "record_kind": RECORD_LABELS[kind] if kind else "",
            "record_url": shared["origin"] + record_path if record_path else "",
            "zone_name": str(shared["zone"]),
        }
        due = formats.date_format(timezone.localtime(task.due_at), "SHORT_DATETIME_FORMAT")
        notification_create(
            user=user,
            kind=REMINDER,
            title=_("Task due: %(title)s") % {"title": task.title},
            body=_("Due %(when)s") % {"when": due} + (f" · {record}" if record is not None else ""),
            url=path,
        )
        subject = _("Reminder: %(title)s") % {"title": task.title}
        text = render_to_string("tasks/email/reminder.txt", context)
        html = render_to_string("tasks/email/reminder.html", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split())[:200], text, to=[user.email], headers={"Content-Language": language}
    )
    message.attach_alternative(html, "text/html")
    message.send()
