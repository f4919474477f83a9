"""Invoices of portal customers for the Connect tests (also used by the portal isolation rows)."""

from django.db import connection


def issued_invoice_for(tenant, access, *, currency="EUR", lines=None, owner=None):
    """An issued invoice of `access`'s company (or contact) in `tenant`, made by acme's
    owner through the sales services. The connection is back in the public schema after."""
    from shared_apps.accounts.models import User
    from tenant_apps.sales.services.documents import document_create, invoice_issue

    owner = owner or User.objects.get(email="owner@acme.test" if tenant.slug == "acme" else "charlie@globex.test")
    connection.set_tenant(tenant)
    try:
        contact = access.contact
        draft = document_create(
            actor=owner, kind="invoice",
            data={"company": contact.company, "contact": contact, "currency": currency},
            lines=lines or [{"description": "Consulting", "quantity": "2", "unit_price": "60.25"}],
        )
        return invoice_issue(document=draft, actor=owner)
    finally:
        connection.set_schema_to_public()
