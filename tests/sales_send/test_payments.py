"""The payments list (filters, totals per currency, visibility) and the accountant's CSV."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from shared_apps.audit.models import SecurityEvent
from tenant_apps.sales.services.documents import document_create, invoice_issue
from tenant_apps.sales.services.payments import payment_record, payment_refund

pytestmark = pytest.mark.django_db
LIST = reverse("sales_payment_list", urlconf="config.urls_app")
EXPORT = reverse("sales_payments_export", urlconf="config.urls_app")


@pytest.fixture
def payments(owner, company, contact, issued_invoice):
    """EUR: 1000 by transfer 5 days ago, 200 by card today, 50 refunded; BGN: 300 cash today."""
    today = timezone.localdate()
    payment_record(invoice=issued_invoice, actor=owner, amount="1000", method="bank_transfer",
                   paid_on=today - timedelta(days=5), reference="=HYPERLINK(\"http://evil\")")
    payment_record(invoice=issued_invoice, actor=owner, amount="200", method="card", paid_on=today)
    payment_refund(invoice=issued_invoice, actor=owner, amount="50", paid_on=today)
    bgn = invoice_issue(document=document_create(
        actor=owner, kind="invoice", data={"company": company, "contact": contact, "currency": "BGN"},
        lines=[{"description": "Support", "quantity": "1", "unit_price": "500"}]), actor=owner)
    payment_record(invoice=bgn, actor=owner, amount="300", method="cash", paid_on=today)
    return issued_invoice, bgn


def test_the_list_with_totals_per_currency(client_for, owner, payments, django_assert_max_num_queries):
    client = client_for(owner)
    with django_assert_max_num_queries(20):
        page = client.get(LIST)
    assert page.status_code == 200
    totals = {t["currency"]: t for t in page.context["totals"]}
    assert totals["EUR"]["received"] == Decimal("1200.00") and totals["EUR"]["refunded"] == Decimal("50.00")
    assert totals["EUR"]["net"] == Decimal("1150.00") and totals["BGN"]["net"] == Decimal("300.00")
    html = page.content.decode()
    assert payments[0].number in html and "Initech" in html
    assert "-50.00 EUR" in html


def test_the_query_count_does_not_grow_with_the_rows(client_for, owner, payments, issued_invoice,
                                                     django_assert_max_num_queries):
    client = client_for(owner)
    for _ in range(30):
        payment_record(invoice=issued_invoice, actor=owner, amount="1")
    with django_assert_max_num_queries(20):
        assert client.get(LIST).status_code == 200


@pytest.mark.parametrize("query, count", [
    ({"method": "card"}, 1), ({"currency": "BGN"}, 1), ({"kind": "refund"}, 1),
    ({"from": -1}, 3), ({"to": -2}, 1),
    ({"method": "bitcoin"}, 4),
])
def test_filters(client_for, owner, payments, query, count):
    # dates are given as days from today
    query = {k: (timezone.localdate() + timedelta(days=v)).isoformat() if isinstance(v, int) else v
             for k, v in query.items()}
    page = client_for(owner).get(LIST, query)
    assert len(page.context["payments"]) == count


def test_a_bad_date_is_named_not_a_500(client_for, owner, payments):
    page = client_for(owner).get(LIST, {"from": "yesterday", "to": "2020-01-01"})
    assert page.status_code == 200
    assert "“yesterday” is not a date" in page.content.decode()


def test_a_restricted_rep_sees_only_payments_on_own_invoices(client_for, sales_rep, payments, restricted):
    page = client_for(sales_rep).get(LIST)
    assert page.status_code == 200 and len(page.context["payments"]) == 0
    assert page.context["totals"] == []


def test_the_accountants_csv(client_for, owner, payments):
    response = client_for(owner).get(EXPORT, {"currency": "EUR"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="payments-')
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["Date", "Invoice number", "Customer", "Tax ID", "Method", "Reference", "Amount", "Currency", "Type"]
    assert len(rows) == 4
    by_amount = {row[6]: row for row in rows[1:]}
    assert by_amount["-50.00"][8] == "Refund"
    transfer = by_amount["1000.00"]
    assert transfer[1] == payments[0].number and transfer[2] == "Initech" and transfer[3] == "BG123456789"
    assert transfer[4] == "Bank transfer" and transfer[5].startswith("'=HYPERLINK")  # never a formula
    assert SecurityEvent.objects.filter(data__what="payment_list").exists()


def test_xlsx_too(client_for, owner, payments):
    response = client_for(owner).get(EXPORT, {"format": "xlsx"})
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_a_bad_format_or_date_goes_back_with_a_message(client_for, owner, payments):
    client = client_for(owner)
    assert client.get(EXPORT, {"format": "pdf"}).status_code == 302
    assert client.get(EXPORT, {"from": "nope"}).status_code == 302


def test_only_managers_export(client_for, sales_rep, read_only, payments):
    assert client_for(sales_rep).get(EXPORT).status_code == 403
    assert client_for(read_only).get(EXPORT).status_code == 403
    assert client_for(read_only).get(LIST).status_code == 200
