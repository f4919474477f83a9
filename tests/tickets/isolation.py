"""Isolation-matrix rows for the ticket pages and API (see tests/test_isolation.py). The
objects are acme's: a ticket of a customer owned by acme's owner, with a file."""

from django.db import connection

URLS = {
    "ticket_list": ("get", "member"),
    "ticket_create": ("get", "writer"),
    "ticket_detail": ("get", "member"),
    "ticket_reply": ("post", "writer"),
    "ticket_update": ("post", "writer"),
    "ticket_attachment": ("get", "member"),
    "api_ticket-list": ("get", "api"),
    "api_ticket-detail": ("get", "api"),
    "api_ticket-messages": ("get", "api"),
}


def url_args(name, tenant):
    if name in ("ticket_list", "ticket_create", "api_ticket-list"):
        return []
    from shared_apps.accounts.models import Membership
    from tenant_apps.contacts.models import Contact

    from .factories import make_ticket

    owner = Membership.objects.get(tenant=tenant, role="owner").user
    connection.set_tenant(tenant)
    try:
        contact = Contact.objects.create(first_name="Secret", last_name="Customer", email="secret@customer.test",
                                         owner=owner)
        ticket = make_ticket(tenant, contact=contact, subject="Secret ticket", with_file=True)
        if name == "ticket_attachment":
            return [ticket.messages.get().attachments.get().pk]
    finally:
        connection.set_schema_to_public()
    return [ticket.pk]
