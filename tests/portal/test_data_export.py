"""Nora downloads her data: her contact details, her company's issued documents and payments,
nothing of Otto's, no drafts; the download is logged in the security log."""

import json

import pytest

from tests.portal.documents import customer_document

pytestmark = pytest.mark.django_db


def test_the_export_holds_her_data_and_nothing_else(customer, other_customer, customer_client, tenant_a):
    # given
    offer = customer_document(tenant_a, customer, kind="offer")
    invoice = customer_document(tenant_a, customer, kind="invoice", paid="40")
    customer_document(tenant_a, customer, kind="invoice", state="draft")  # never exported
    others = customer_document(tenant_a, other_customer, kind="invoice", paid="11")
    # when
    response = customer_client.post("/profile/data/")
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    data = json.loads(response.content)
    assert data["contact"]["email"] == "nora@northwind.test" and data["contact"]["company"] == "Northwind"
    assert [o["number"] for o in data["offers"]] == [offer.number]
    assert [i["number"] for i in data["invoices"]] == [invoice.number]
    assert data["invoices"][0]["amount_due"] == "80.00" and data["invoices"][0]["lines"][0]["description"] == "Consulting"
    assert [(p["invoice"], p["amount"]) for p in data["payments"]] == [(invoice.number, "40.00")]
    text = response.content.decode()
    assert others.number not in text and "otto@initech.test" not in text
    assert data["documents_truncated"] is False


def test_the_download_is_logged(customer, customer_client):
    from shared_apps.audit.models import SecurityEvent

    customer_client.post("/profile/data/")
    event = SecurityEvent.objects.filter(kind="data_exported", actor=customer.user).get()
    assert event.data["what"] == "portal_customer" and event.data["contact_id"] == customer.contact_id


def test_a_registered_section_is_included(customer, customer_client, tenant_a):
    from portal import exports

    def tickets(access):
        return [{"subject": f"Ticket of contact {access.contact_id}"}]

    before = dict(exports._SECTIONS)
    exports.export_section_register("tickets", tickets)
    try:
        data = json.loads(customer_client.post("/profile/data/").content)
    finally:
        exports._SECTIONS.clear()
        exports._SECTIONS.update(before)
    assert data["tickets"] == [{"subject": f"Ticket of contact {customer.contact_id}"}]
    with pytest.raises(ValueError):
        exports.export_section_register("invoices", tickets)


def test_the_export_queries_do_not_grow_with_documents(customer, customer_client, tenant_a, django_assert_max_num_queries):
    customer_document(tenant_a, customer, kind="invoice", paid="10")
    customer_client.post("/profile/data/")
    with django_assert_max_num_queries(40) as few:
        customer_client.post("/profile/data/")
    for kind in ("offer", "invoice", "invoice"):
        customer_document(tenant_a, customer, kind=kind, paid="10" if kind == "invoice" else None)
    with django_assert_max_num_queries(len(few)):
        customer_client.post("/profile/data/")


def test_a_get_does_not_download(customer, customer_client):
    assert customer_client.get("/profile/data/").status_code == 405
