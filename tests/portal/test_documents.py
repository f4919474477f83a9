"""A portal customer's offers, invoices, credit notes and payments: Nora (Northwind) sees her
company's issued documents, never drafts or voided ones, never Otto's (Initech)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.utils.formats import date_format

from tests.portal.documents import customer_document
from tests.portal_helpers import portal_client_for

pytestmark = pytest.mark.django_db


def test_the_offer_and_invoice_lists_hold_only_her_companys_issued_documents(customer, other_customer, customer_client, tenant_a):
    # given
    offer = customer_document(tenant_a, customer, kind="offer")
    invoice = customer_document(tenant_a, customer, kind="invoice")
    draft = customer_document(tenant_a, customer, kind="invoice", state="draft")
    voided = customer_document(tenant_a, customer, kind="invoice", state="void")
    draft_offer = customer_document(tenant_a, customer, kind="offer", state="draft")
    others = customer_document(tenant_a, other_customer, kind="invoice")
    others_offer = customer_document(tenant_a, other_customer, kind="offer")
    # when
    offers = customer_client.get("/offers/").content.decode()
    invoices = customer_client.get("/invoices/").content.decode()
    # then
    assert offer.number in offers and f"/offers/{offer.pk}/" in offers
    assert others_offer.number not in offers and f"/offers/{draft_offer.pk}/" not in offers
    assert invoice.number in invoices and f"/invoices/{invoice.pk}/" in invoices
    assert voided.number not in invoices and others.number not in invoices
    assert f"/invoices/{draft.pk}/" not in invoices


def test_newest_first_and_paginated(customer, customer_client, tenant_a):
    first = customer_document(tenant_a, customer, kind="invoice")
    second = customer_document(tenant_a, customer, kind="invoice")
    page = customer_client.get("/invoices/").content.decode()
    assert page.index(second.number) < page.index(first.number)
    from portal import customer_selectors as selectors

    connection.set_tenant(tenant_a)
    listed = list(selectors.portal_document_page(access=customer, kind="invoice", page_number=1, per_page=1))
    assert listed == [second]
    assert customer_client.get("/invoices/?page=999").status_code == 200


def test_list_queries_do_not_grow_with_rows(customer, customer_client, tenant_a, django_assert_max_num_queries):
    customer_document(tenant_a, customer, kind="invoice", paid="10")
    customer_client.get("/invoices/")  # warm the per-process caches (branding, plan)
    with django_assert_max_num_queries(30) as few:
        assert customer_client.get("/invoices/").status_code == 200
        assert customer_client.get("/payments/").status_code == 200
        assert customer_client.get("/").status_code == 200
    for _ in range(6):
        customer_document(tenant_a, customer, kind="invoice", paid="10")
    with django_assert_max_num_queries(len(few)):
        assert customer_client.get("/invoices/").status_code == 200
        assert customer_client.get("/payments/").status_code == 200
        assert customer_client.get("/").status_code == 200


def test_the_invoice_page_has_lines_totals_due_date_amount_due_and_payments(customer, customer_client, tenant_a):
    invoice = customer_document(tenant_a, customer, kind="invoice", paid="50")
    response = customer_client.get(f"/invoices/{invoice.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Consulting" in page  # the line
    assert "120.00 EUR" in page  # total: 2 × 50 + 20 % VAT
    assert "70.00 EUR" in page  # amount due after 50 paid
    assert "BANK-1" in page  # the payment's reference
    assert date_format(invoice.due_date, "SHORT_DATE_FORMAT") in page


def test_another_companys_document_and_a_draft_are_404(customer, other_customer, customer_client, tenant_a):
    others = customer_document(tenant_a, other_customer, kind="invoice")
    others_offer = customer_document(tenant_a, other_customer, kind="offer")
    draft = customer_document(tenant_a, customer, kind="invoice", state="draft")
    voided = customer_document(tenant_a, customer, kind="invoice", state="void")
    mine = customer_document(tenant_a, customer, kind="offer")
    assert customer_client.get(f"/invoices/{others.pk}/").status_code == 404
    assert customer_client.get(f"/offers/{others_offer.pk}/").status_code == 404
    assert customer_client.get(f"/invoices/{draft.pk}/").status_code == 404
    assert customer_client.get(f"/invoices/{voided.pk}/").status_code == 404
    assert customer_client.get(f"/documents/{others.pk}/pdf/").status_code == 404
    assert customer_client.get(f"/documents/{draft.pk}/pdf/").status_code == 404
    # An offer is not an invoice: the wrong kind's address is a 404 too.
    assert customer_client.get(f"/invoices/{mine.pk}/").status_code == 404


def test_a_customer_of_another_workspace_sees_nothing(customer, customer_b, tenant_a, tenant_b):
    invoice = customer_document(tenant_a, customer, kind="invoice")
    bea = portal_client_for(customer_b, tenant_b)
    page = bea.get("/invoices/").content.decode()
    assert invoice.number not in page
    # On her own workspace's portal, acme's invoice id names nothing of hers.
    assert bea.get(f"/invoices/{invoice.pk}/").status_code == 404
    assert bea.get(f"/documents/{invoice.pk}/pdf/").status_code == 404


def test_the_pdf_comes_back_as_a_pdf_attachment(customer, customer_client, tenant_a):
    invoice = customer_document(tenant_a, customer, kind="invoice")
    response = customer_client.get(f"/documents/{invoice.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="{invoice.number}.pdf"'


def test_credit_notes_are_listed_and_shown(customer, other_customer, customer_client, tenant_a):
    note = customer_document(tenant_a, customer, kind="credit_note")
    others = customer_document(tenant_a, other_customer, kind="credit_note")
    page = customer_client.get("/credit-notes/").content.decode()
    assert note.number in page and others.number not in page
    assert customer_client.get(f"/credit-notes/{note.pk}/").status_code == 200
    assert customer_client.get(f"/credit-notes/{others.pk}/").status_code == 404


def test_the_payment_history_links_her_invoices(customer, other_customer, customer_client, tenant_a):
    invoice = customer_document(tenant_a, customer, kind="invoice", paid="30")
    others = customer_document(tenant_a, other_customer, kind="invoice", paid="77")
    page = customer_client.get("/payments/").content.decode()
    assert f"/invoices/{invoice.pk}/" in page and "30.00 EUR" in page
    assert others.number not in page and "77.00" not in page


def test_the_signed_in_home_is_her_overview(customer, other_customer, customer_client, tenant_a):
    # given
    offer = customer_document(tenant_a, customer, kind="offer")
    unpaid = customer_document(tenant_a, customer, kind="invoice", paid="20")
    paid = customer_document(tenant_a, customer, kind="invoice", paid="120")
    draft = customer_document(tenant_a, customer, kind="invoice", state="draft")
    others = customer_document(tenant_a, other_customer, kind="invoice")
    # when
    page = customer_client.get("/").content.decode()
    # then
    assert f"/offers/{offer.pk}/" in page
    assert f"/invoices/{unpaid.pk}/" in page and "100.00 EUR" in page  # 120 − 20 due
    unpaid_section = page.split('id="unpaid-invoices"')[1].split('id="recent-payments"')[0]
    assert paid.number not in unpaid_section
    assert paid.number in page  # among the recent payments
    assert f"/invoices/{draft.pk}/" not in page and others.number not in page
    assert paid.status == "paid" and unpaid.balance == Decimal("100.00")


def test_anonymous_visitors_keep_the_contact_page(tenant_a):
    from django.test import Client

    response = Client(HTTP_HOST="acme.portal.localhost").get("/")
    assert response.status_code == 200
    assert b"How to reach us" in response.content and b"/login/" in response.content


def test_a_customer_without_a_company_sees_only_documents_naming_her(tenant_a, customer):
    from tests.portal_helpers import make_customer

    # given: Frida has no company; Nora's company's invoice does not name Frida
    frida = make_customer(tenant_a, email="frida@freelance.test", company=None, name="Frida Free")
    hers = customer_document(tenant_a, frida, kind="invoice")
    northwinds = customer_document(tenant_a, customer, kind="invoice")
    client = portal_client_for(frida, tenant_a)
    # when
    page = client.get("/invoices/").content.decode()
    # then
    assert hers.number in page and northwinds.number not in page
    assert client.get(f"/invoices/{northwinds.pk}/").status_code == 404


def test_the_pages_speak_bulgarian(customer, customer_client, tenant_a):
    invoice = customer_document(tenant_a, customer, kind="invoice", paid="20")
    offer = customer_document(tenant_a, customer, kind="offer")
    customer_client.cookies["tessera_language"] = "bg"
    assert "Неплатени фактури" in customer_client.get("/").content.decode()
    assert "Дължима сума" in customer_client.get(f"/invoices/{invoice.pk}/").content.decode()
    assert "Приемам офертата" in customer_client.get(f"/offers/{offer.pk}/").content.decode()
    assert "Моите данни" in customer_client.get("/profile/").content.decode()
