"""Merging contacts keeps what hangs off a duplicate: its offers and invoices, and its
customer's portal sign-in (or refuses, when two customers would have to share one)."""

import pytest

from portal.models import PortalAccess
from tenant_apps.contacts.models import Contact
from tenant_apps.contacts.services import contact_create, contact_merge
from tenant_apps.records.errors import RecordValidationError
from tests.portal_helpers import make_customer


def _contact(owner, **data):
    return contact_create(actor=owner, data={"first_name": "Ivan", "last_name": "Petrov", **data})


def _lines():
    return [{"description": "Consulting", "quantity": "2", "unit_price": "50", "tax_rates": []}]


def test_offers_and_issued_invoices_follow_the_merge_with_their_customer_snapshot(in_acme, owner):
    from tenant_apps.sales.models import Document
    from tenant_apps.sales.services.documents import document_create, invoice_issue

    primary = _contact(owner, emails=["ivan@example.com"])
    other = _contact(owner, emails=["ivan@work.example"], last_name="Petroff")
    offer = document_create(actor=owner, kind="offer", data={"contact": other, "currency": "EUR"}, lines=_lines())
    invoice = invoice_issue(actor=owner, document=document_create(
        actor=owner, kind="invoice", data={"contact": other, "currency": "EUR"}, lines=_lines()))
    snapshot = Document.objects.get(pk=invoice.pk).customer

    contact_merge(primary=primary, duplicates=[other], actor=owner)

    assert set(Document.objects.filter(pk__in=[offer.pk, invoice.pk]).values_list("contact_id", flat=True)) == {primary.pk}
    issued = Document.objects.get(pk=invoice.pk)
    assert issued.customer == snapshot and issued.status == invoice.status and issued.number == invoice.number


def test_the_duplicates_portal_access_moves_to_the_primary(in_acme, tenant_a, owner):
    access = make_customer(tenant_a, email="nora@northwind.example")
    primary = _contact(owner, emails=["nora.work@northwind.example"])

    contact_merge(primary=primary, duplicates=[access.contact], actor=owner)

    moved = PortalAccess.objects.get(pk=access.pk)
    assert moved.contact_id == primary.pk and moved.user_id == access.user_id and moved.status == "active"
    assert not Contact.objects.filter(pk=access.contact_id).exists()


def test_two_live_portal_users_refuse_the_merge_and_change_nothing(in_acme, tenant_a, owner):
    first = make_customer(tenant_a, email="nora@northwind.example")
    second = make_customer(tenant_a, email="nora.other@northwind.example", status="invited")

    with pytest.raises(RecordValidationError) as refused:
        contact_merge(primary=first.contact, duplicates=[second.contact], actor=owner)

    message = str(refused.value.errors["duplicates"])
    assert "nora@northwind.example" in message and "nora.other@northwind.example" in message
    assert Contact.objects.filter(pk__in=[first.contact_id, second.contact_id]).count() == 2
    assert {a.pk: a.contact_id for a in PortalAccess.objects.all()} == {first.pk: first.contact_id,
                                                                         second.pk: second.contact_id}


def test_a_disabled_access_gives_way_to_the_live_one(in_acme, tenant_a, owner):
    disabled = make_customer(tenant_a, email="old@northwind.example", status="disabled")
    live = make_customer(tenant_a, email="nora@northwind.example")

    contact_merge(primary=disabled.contact, duplicates=[live.contact], actor=owner)

    assert list(PortalAccess.objects.values_list("pk", "contact_id")) == [(live.pk, disabled.contact_id)]


def test_the_refusal_is_in_bulgarian_for_a_bulgarian_user(in_acme, tenant_a, owner):
    from django.utils import translation

    first = make_customer(tenant_a, email="nora@northwind.example")
    second = make_customer(tenant_a, email="nora.other@northwind.example")
    with translation.override("bg"), pytest.raises(RecordValidationError) as refused:
        contact_merge(primary=first.contact, duplicates=[second.contact], actor=owner)
    assert "портал" in str(refused.value.errors["duplicates"]).lower()


def test_merging_companies_keeps_their_documents_and_tickets(in_acme, tenant_a, owner):
    from tenant_apps.companies.services import company_create, company_merge
    from tenant_apps.sales.models import Document
    from tenant_apps.sales.services.documents import document_create
    from tenant_apps.tickets.models import Ticket
    from tenant_apps.tickets.services import ticket_create

    primary = company_create(actor=owner, data={"name": "Northwind"})
    other = company_create(actor=owner, data={"name": "Northwind Ltd"})
    person = _contact(owner, company=other, emails=["nora@northwind.example"])
    offer = document_create(actor=owner, kind="offer", data={"company": other, "currency": "EUR"}, lines=_lines())
    ticket = ticket_create(actor=owner, contact=person, subject="Question", body="About the offer")
    assert Ticket.objects.get(pk=ticket.pk).company_id == other.pk

    company_merge(primary=primary, duplicates=[other], actor=owner)

    assert Document.objects.get(pk=offer.pk).company_id == primary.pk
    assert Ticket.objects.get(pk=ticket.pk).company_id == primary.pk
