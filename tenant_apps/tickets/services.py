"""Writing tickets: opening one, the conversation both ways, status and assignee.

Every write validates first, then writes the ticket, the message, its attachments, the
timeline entry and the e-mails (to the outbox) in one transaction: a refusal or a failure
anywhere leaves nothing behind, and a committed message is mailed exactly once (the
outbox delivers after commit, with the row's id as Message-ID). Files written to storage
before a rollback are removed on the way out."""

import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.accounts.rules import can
from tenant_apps.activities.services import timeline_event
from tenant_apps.records.errors import RecordPermissionError
from tenant_apps.records.history import history_context

from . import notify
from .attachments import attachments_clean
from .errors import TicketValidationError
from .models import AuthorKind, Ticket, TicketAttachment, TicketMessage

logger = logging.getLogger(__name__)
MAX_BODY = 20_000
MAX_SUBJECT = 200


def _clean_text(subject, body, *, with_subject: bool) -> tuple[str, str]:
    errors = {}
    subject = " ".join((subject or "").split())
    body = (body or "").strip()
    if with_subject:
        if not subject:
            errors["subject"] = [_("Give the ticket a subject.")]
        elif len(subject) > MAX_SUBJECT:
            errors["subject"] = [_("At most %(n)d characters.") % {"n": MAX_SUBJECT}]
    if not body:
        errors["body"] = [_("Write a message.")]
    elif len(body) > MAX_BODY:
        errors["body"] = [_("At most %(n)d characters.") % {"n": MAX_BODY}]
    if errors:
        raise TicketValidationError(errors)
    return subject, body


def _store(message: TicketMessage, cleaned: list[tuple], stored: list[str]) -> None:
    for upload, name, size, content_type in cleaned:
        attachment = TicketAttachment(message=message, original_name=name, size=size, content_type=content_type)
        upload.seek(0)
        attachment.file.save(name, upload, save=False)
        stored.append(attachment.file.name)
        attachment.save()


class _files_undone:
    """Deletes the files stored in the block if the block fails (the rows roll back)."""

    def __enter__(self):
        self.stored = []
        return self.stored

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            for name in self.stored:
                try:
                    default_storage.delete(name)
                except OSError:
                    logger.warning("Could not remove the attachment file %s", name)
        return False


def _add_message(ticket, *, author_kind, author, body, internal, cleaned, stored) -> TicketMessage:
    message = TicketMessage.objects.create(ticket=ticket, author_kind=author_kind, author=author, body=body,
                                           internal=internal)
    _store(message, cleaned, stored)
    return message


def _opened_event(ticket: Ticket, actor) -> None:
    timeline_event(event="ticket_opened", actor=actor, contact=ticket.contact, subject=ticket.subject,
                   data={"ticket_id": ticket.pk, "subject": ticket.subject, "by": ticket.opened_by_kind})


def _touch_contact(ticket: Ticket, when) -> None:
    type(ticket.contact).objects.filter(pk=ticket.contact_id).exclude(last_activity_at__gt=when).update(
        last_activity_at=when
    )


# --- the customer's side (portal) ------------------------------------------------------------


def ticket_open_by_customer(*, access, subject: str, body: str, files=()) -> Ticket:
    """A customer opens a ticket on the portal; the assignee-less ticket notifies the
    workspace's admins (in the app and by e-mail)."""
    subject, body = _clean_text(subject, body, with_subject=True)
    cleaned = attachments_clean(files)
    contact = access.contact
    now = timezone.now()
    with _files_undone() as stored, transaction.atomic(), history_context(access.user, "portal"):
        ticket = Ticket.objects.create(
            subject=subject, contact=contact, company_id=contact.company_id, opened_by_kind=AuthorKind.CUSTOMER,
            created_by=access.user, last_message_at=now,
        )
        message = _add_message(ticket, author_kind=AuthorKind.CUSTOMER, author=access.user, body=body,
                               internal=False, cleaned=cleaned, stored=stored)
        _opened_event(ticket, access.user)
        _touch_contact(ticket, now)
        notify.staff_of_customer_message(ticket=ticket, message=message, opened=True)
    return ticket


def ticket_reply_by_customer(*, access, ticket: Ticket, body: str, files=()) -> TicketMessage:
    """The customer writes on their ticket; a closed ticket opens again. The assignee (or
    the admins) are told."""
    _require_customer(access, ticket)
    _subject, body = _clean_text("", body, with_subject=False)
    cleaned = attachments_clean(files)
    now = timezone.now()
    with _files_undone() as stored, transaction.atomic(), history_context(access.user, "portal"):
        ticket = Ticket.objects.select_for_update().select_related("contact").get(pk=ticket.pk)
        message = _add_message(ticket, author_kind=AuthorKind.CUSTOMER, author=access.user, body=body,
                               internal=False, cleaned=cleaned, stored=stored)
        ticket.status, ticket.closed_at, ticket.last_message_at = Ticket.Status.OPEN, None, now
        ticket.save(update_fields=["status", "closed_at", "last_message_at", "updated_at"])
        _touch_contact(ticket, now)
        notify.staff_of_customer_message(ticket=ticket, message=message, opened=False)
    return message


def ticket_close_by_customer(*, access, ticket: Ticket) -> Ticket:
    """The customer says their question is answered."""
    _require_customer(access, ticket)
    with transaction.atomic(), history_context(access.user, "portal"):
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.status != Ticket.Status.CLOSED:
            ticket.status, ticket.closed_at = Ticket.Status.CLOSED, timezone.now()
            ticket.save(update_fields=["status", "closed_at", "updated_at"])
    return ticket


def _require_customer(access, ticket: Ticket) -> None:
    from .selectors import portal_tickets

    if access is None or not portal_tickets(access=access).filter(pk=ticket.pk).exists():
        raise RecordPermissionError()


# --- the workspace's side (app, API) -------------------------------------------------------


def _require(actor, perm: str, ticket=None) -> None:
    if not can(actor, perm, ticket):
        raise RecordPermissionError()


def _assignee_checked(assignee):
    """`assignee` if they are a member who may answer tickets here, else a refusal."""
    if assignee is None:
        return None
    from .selectors import assignable_members

    if not any(m.user_id == assignee.pk for m in assignable_members()):
        raise TicketValidationError({"assignee": [_("Choose a member of this workspace who can answer tickets.")]})
    return assignee


def ticket_create(*, actor, contact, subject: str, body: str, priority: int = Ticket.Priority.NORMAL,
                  assignee=None, files=(), door: str = "ui") -> Ticket:
    """Staff open a ticket for a contact (a phone call written down, say). The first
    message goes to the customer by e-mail like every staff reply."""
    _require(actor, "tickets.add_ticket")
    if contact is None or not can(actor, "contacts.view_contact", contact):
        raise TicketValidationError({"contact": [_("Choose a contact you can see.")]})
    subject, body = _clean_text(subject, body, with_subject=True)
    if priority not in Ticket.Priority.values:
        raise TicketValidationError({"priority": [_("Choose a priority.")]})
    assignee = _assignee_checked(assignee)
    cleaned = attachments_clean(files)
    now = timezone.now()
    with _files_undone() as stored, transaction.atomic(), history_context(actor, door):
        ticket = Ticket.objects.create(
            subject=subject, contact=contact, company_id=contact.company_id, priority=priority, assignee=assignee,
            opened_by_kind=AuthorKind.STAFF, created_by=actor, status=Ticket.Status.PENDING, last_message_at=now,
        )
        message = _add_message(ticket, author_kind=AuthorKind.STAFF, author=actor, body=body, internal=False,
                               cleaned=cleaned, stored=stored)
        _opened_event(ticket, actor)
        _touch_contact(ticket, now)
        notify.customer_of_staff_message(ticket=ticket, message=message)
    return ticket


def ticket_reply(*, ticket: Ticket, actor, body: str, internal: bool = False, files=(), door: str = "ui") -> TicketMessage:
    """A staff answer (e-mailed to the customer, the ticket then waits on them) or an
    internal note (staff only: not shown on the portal, not mailed, status unchanged)."""
    _require(actor, "tickets.reply", ticket)
    _subject, body = _clean_text("", body, with_subject=False)
    cleaned = attachments_clean(files)
    now = timezone.now()
    with _files_undone() as stored, transaction.atomic(), history_context(actor, door):
        ticket = Ticket.objects.select_for_update().select_related("contact").get(pk=ticket.pk)
        message = _add_message(ticket, author_kind=AuthorKind.STAFF, author=actor, body=body, internal=internal,
                               cleaned=cleaned, stored=stored)
        if not internal:
            ticket.status, ticket.closed_at, ticket.last_message_at = Ticket.Status.PENDING, None, now
            if ticket.assignee_id is None:
                ticket.assignee = actor  # whoever answers an unassigned ticket takes it
            ticket.save(update_fields=["status", "closed_at", "last_message_at", "assignee", "updated_at"])
            _touch_contact(ticket, now)
            notify.customer_of_staff_message(ticket=ticket, message=message)
    return message


def ticket_update(*, ticket: Ticket, actor, status: str | None = None, assignee=..., priority: int | None = None,
                  door: str = "ui") -> Ticket:
    """Change a ticket's status, assignee (None: nobody) or priority. A newly assigned
    member other than the actor is told in the app."""
    _require(actor, "tickets.change_ticket", ticket)
    errors = {}
    if status is not None and status not in Ticket.Status.values:
        errors["status"] = [_("Choose a status.")]
    if priority is not None and priority not in Ticket.Priority.values:
        errors["priority"] = [_("Choose a priority.")]
    if errors:
        raise TicketValidationError(errors)
    if assignee is not ...:
        assignee = _assignee_checked(assignee)
    with transaction.atomic(), history_context(actor, door):
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        changed = []
        if status is not None and status != ticket.status:
            ticket.status = status
            ticket.closed_at = timezone.now() if status == Ticket.Status.CLOSED else None
            changed += ["status", "closed_at"]
        if priority is not None and priority != ticket.priority:
            ticket.priority = priority
            changed.append("priority")
        newly_assigned = None
        if assignee is not ... and getattr(assignee, "pk", None) != ticket.assignee_id:
            ticket.assignee = assignee
            changed.append("assignee")
            newly_assigned = assignee
        if changed:
            ticket.save(update_fields=[*changed, "updated_at"])
        if newly_assigned is not None and newly_assigned.pk != actor.pk:
            notify.member_of_assignment(ticket=ticket, user=newly_assigned, actor=actor)
    return ticket


def tickets_relink(*, from_contact_ids, to_contact) -> int:
    """Move tickets of merged-away contacts to the surviving one."""
    return Ticket.objects.filter(contact_id__in=list(from_contact_ids)).update(contact=to_contact)
