"""Writing tasks: create, change, complete, reopen, delete. A task with a due time has
its reminder scheduled (tenants.scheduling, kind "task_reminder")."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.accounts.rules import can
from tenant_apps.records.errors import RecordPermissionError, RecordValidationError
from tenant_apps.records.history import history_context
from tenant_apps.records.services import apply_fields, resolve_member
from tenants.scheduling import job_cancel, job_schedule

from .models import Task

REMINDER = "task_reminder"
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
