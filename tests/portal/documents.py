"""Offers and invoices of a portal customer's company, made through the sales services as
staff would (acme's owner is the actor).

    offer = customer_document(tenant_a, customer, kind="offer")              # sent
    invoice = customer_document(tenant_a, customer, kind="invoice", paid="50")  # issued, 50 paid
    draft = customer_document(tenant_a, customer, kind="invoice", state="draft")
"""

from django.db import connection


def _owner(tenant):
    from shared_apps.accounts.models import Membership

    return Membership.objects.get(tenant=tenant, role="owner").user


def customer_document(tenant, access, *, kind="invoice", state="", paid=None, lines=None, currency="EUR"):
    """A document for `access`'s company (or, without one, the contact): an offer is sent, an
    invoice or a credit note issued, unless state="draft" (or "void" for an invoice).
    A credit note credits a fresh issued invoice."""
    from tenant_apps.sales.services import documents as svc
    from tenant_apps.sales.services.payments import payment_record

    previous = connection.tenant if connection.schema_name != "public" else None
    connection.set_schema_to_public()
    owner = _owner(tenant)
    connection.set_tenant(tenant)
    try:
        contact = type(access.contact).objects.get(pk=access.contact_id)
        data = {"company": contact.company, "contact": contact, "currency": currency}
        lines = lines or [{"description": "Consulting", "quantity": "2", "unit_price": "50", "taxes": [("VAT", "20")]}]
        if kind == "credit_note":
            invoice = customer_document(tenant, access, kind="invoice", currency=currency)
            document = svc.credit_note_create(invoice=invoice, actor=owner)
        else:
            document = svc.document_create(actor=owner, kind=kind, data=data, lines=lines)
        if state != "draft":
            if kind == "offer":
                document = svc.offer_mark_sent(document=document, actor=owner)
            else:
                document = svc.invoice_issue(document=document, actor=owner)
        if paid is not None:
            payment_record(invoice=document, actor=owner, amount=paid, reference="BANK-1")
            document.refresh_from_db()
        if state == "void":
            document = svc.invoice_void(document=document, actor=owner, reason="Wrong customer")
    finally:
        if previous is not None:
            connection.set_tenant(previous)
        else:
            connection.set_schema_to_public()
    return document
