"""Tickets for tests, written straight to acme's (or any tenant's) schema."""

from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone


def make_ticket(tenant, *, contact, subject="Printer on fire", body="It is on fire.", internal_note="",
                with_file=False, assignee=None):
    """A ticket of `contact` with a customer message (and, if asked, a staff internal
    note and a file on the customer message). Leaves the connection on `tenant`."""
    from tenant_apps.tickets.models import Ticket, TicketAttachment, TicketMessage

    connection.set_tenant(tenant)
    ticket = Ticket.objects.create(subject=subject, contact=contact, company_id=contact.company_id,
                                   last_message_at=timezone.now(), assignee=assignee)
    message = TicketMessage.objects.create(ticket=ticket, author_kind="customer", body=body)
    if internal_note:
        TicketMessage.objects.create(ticket=ticket, author_kind="staff", body=internal_note, internal=True)
    if with_file:
        attachment = TicketAttachment(message=message, original_name="photo.png", size=4, content_type="image/png")
        attachment.file.save("photo.png", ContentFile(b"\x89PNG"), save=False)
        attachment.save()
    return ticket
