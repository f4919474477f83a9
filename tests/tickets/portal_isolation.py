"""Isolation-matrix rows for the portal's support pages (see tests/portal/test_isolation.py):
the objects are tickets of `access`'s customer."""

from django.db import connection

PORTAL_URLS = {
    "portal_ticket_list": ("get", "customer"),
    "portal_ticket_open": ("get", "customer"),
    "portal_ticket_detail": ("get", "object"),
    "portal_ticket_reply": ("post", "object"),
    "portal_ticket_close": ("post", "object"),
    "portal_ticket_attachment": ("get", "object"),
}


def url_args(name, tenant, access):
    if name in ("portal_ticket_list", "portal_ticket_open"):
        return []
    from .factories import make_ticket

    try:
        ticket = make_ticket(tenant, contact=access.contact, subject="Nora's secret question", with_file=True)
        if name == "portal_ticket_attachment":
            return [ticket.messages.get().attachments.get().pk]
    finally:
        connection.set_schema_to_public()
    return [ticket.pk]
