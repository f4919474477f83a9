"""The offer and invoice life cycles, and issued documents refusing every change."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from tenant_apps.records.errors import RecordPermissionError
from tenant_apps.sales.errors import SalesError
from tenant_apps.sales.models import Document, DocumentLine
from tenant_apps.sales.services import documents as svc
from tenant_apps.sales.services.payments import payment_record, payment_refund


def test_a_draft_has_its_totals(draft_invoice):
    # 955.00 + 1200.00 = 2155.00 net, 20 % VAT 431.00
    assert draft_invoice.subtotal == Decimal("2155.00")
    assert draft_invoice.tax_total == Decimal("431.00")
    assert draft_invoice.total == Decimal("2586.00")
    assert draft_invoice.number == ""
    assert draft_invoice.tax_breakdown == [{"name": "VAT", "rate": "20.00", "base": "2155.00", "amount": "431.00"}]


def test_issuing_numbers_freezes_and_snapshots(issued_invoice, company):
    assert issued_invoice.status == "issued"
    assert issued_invoice.number == f"INV-{timezone.localdate().year}-0001"
    assert issued_invoice.customer["name"] == "Initech"
    assert issued_invoice.customer["tax_id"] == "BG123456789"
    assert issued_invoice.due_date == timezone.localdate() + timedelta(days=14)
    assert all(line.is_locked for line in issued_invoice.lines.all())


def test_an_issued_invoice_refuses_the_service(issued_invoice, owner):
    with pytest.raises(SalesError) as refused:
        svc.document_update(document=issued_invoice, actor=owner, data={"notes": "changed"})
    assert refused.value.code == "not_draft"
    with pytest.raises(SalesError):
        svc.document_delete(document=issued_invoice, actor=owner)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: Document.objects.filter(pk=d.pk).update(total=Decimal("1")),
        lambda d: Document.objects.filter(pk=d.pk).update(number="INV-X"),
        lambda d: Document.objects.filter(pk=d.pk).update(customer={"name": "Someone else"}),
        lambda d: Document.objects.filter(pk=d.pk).delete(),
        lambda d: DocumentLine.objects.filter(document=d).update(unit_price=Decimal("1")),
        lambda d: DocumentLine.objects.filter(document=d).delete(),
    ],
    ids=["total", "number", "customer", "delete", "line price", "line delete"],
)
def test_an_issued_invoice_refuses_raw_writes_in_the_database(issued_invoice, change):
    with pytest.raises(DatabaseError, match="pgtrigger"), transaction.atomic():
        change(issued_invoice)


def test_offer_flow_to_invoice_and_payment(owner, company, contact, vat):
    # given
    offer = svc.document_create(actor=owner, kind="offer", data={"company": company, "contact": contact},
                                lines=[{"description": "Audit", "quantity": "2", "unit_price": "500", "tax_rates": [vat]}])
    # when
    offer = svc.offer_mark_sent(document=offer, actor=owner)
    offer = svc.offer_decide(document=offer, accept=True, name="Ivan Petrov", ip="203.0.113.9", door="portal")
    invoice = svc.offer_convert(document=offer, actor=owner)
    invoice = svc.invoice_issue(document=invoice, actor=owner)
    payment_record(invoice=invoice, actor=owner, amount="700")
    invoice.refresh_from_db()
    # then
    offer.refresh_from_db()
    assert offer.status == "converted" and offer.number.startswith("OFF-")
    assert offer.decision["name"] == "Ivan Petrov" and offer.decision["ip"] == "203.0.113.9"
    assert invoice.source_offer_id == offer.pk and invoice.total == Decimal("1200.00")
    assert invoice.status == "partially_paid" and invoice.balance == Decimal("500.00")
    payment_record(invoice=invoice, actor=owner, amount="600")
    invoice.refresh_from_db()
    assert invoice.status == "paid" and invoice.balance == Decimal("-100.00")  # overpaid
    payment_refund(invoice=invoice, actor=owner, amount="100")
    invoice.refresh_from_db()
    assert invoice.status == "paid" and invoice.balance == Decimal("0.00")
    events = set(offer.company.activities.values_list("event", flat=True))
    assert {"offer_sent", "offer_accepted", "offer_converted", "invoice_issued", "payment_received",
            "payment_refunded"} <= events


def test_an_offer_cannot_be_converted_twice_or_before_acceptance(owner, company, vat):
    offer = svc.document_create(actor=owner, kind="offer", data={"company": company},
                                lines=[{"description": "Audit", "quantity": "1", "unit_price": "10"}])
    with pytest.raises(SalesError):
        svc.offer_convert(document=offer, actor=owner)
    svc.offer_mark_sent(document=offer, actor=owner)
    svc.offer_decide(document=offer, accept=True, actor=owner)
    svc.offer_convert(document=offer, actor=owner)
    with pytest.raises(SalesError) as refused:
        svc.offer_convert(document=offer, actor=owner)
    assert refused.value.code == "wrong_status"


def test_an_expired_offer_cannot_be_accepted(owner, company):
    offer = svc.document_create(actor=owner, kind="offer", data={"company": company},
                                lines=[{"description": "Audit", "quantity": "1", "unit_price": "10"}])
    svc.offer_mark_sent(document=offer, actor=owner)
    Document.objects.filter(pk=offer.pk).update(status="draft")
    Document.objects.filter(pk=offer.pk).update(valid_until=timezone.localdate() - timedelta(days=1), status="sent")
    with pytest.raises(SalesError) as refused:
        svc.offer_decide(document=offer, accept=True, name="Late Customer")
    assert refused.value.code == "offer_expired"
    offer.refresh_from_db()
    assert offer.status == "expired"


def test_a_credit_note_settles_and_voiding_needs_nothing_paid(owner, issued_invoice):
    payment_record(invoice=issued_invoice, actor=owner, amount="86.00")
    with pytest.raises(SalesError):
        svc.invoice_void(document=issued_invoice, actor=owner, reason="Typo")
    note = svc.credit_note_create(invoice=issued_invoice, actor=owner,
                                  lines=[{"description": "Goodwill", "quantity": "1", "unit_price": "2083.33",
                                          "taxes": [("VAT", "20")]}])
    note = svc.invoice_issue(document=note, actor=owner)
    issued_invoice.refresh_from_db()
    assert note.number.startswith("CN-") and note.total == Decimal("2500.00")
    assert issued_invoice.amount_credited == Decimal("2500.00")
    assert issued_invoice.status == "paid"


def test_a_credit_note_cannot_credit_more_than_the_invoice(owner, issued_invoice):
    note = svc.credit_note_create(invoice=issued_invoice, actor=owner,
                                  lines=[{"description": "Too much", "quantity": "1", "unit_price": "99999"}])
    with pytest.raises(SalesError) as refused:
        svc.invoice_issue(document=note, actor=owner)
    assert refused.value.code == "credit_exceeds_invoice"
    note.refresh_from_db()
    assert note.status == "draft" and note.number == ""


def test_a_stripe_payment_is_recorded_once(owner, issued_invoice):
    first = payment_record(invoice=issued_invoice, actor=None, amount="2586.00", method="stripe", external_id="pi_123")
    again = payment_record(invoice=issued_invoice, actor=None, amount="2586.00", method="stripe", external_id="pi_123")
    issued_invoice.refresh_from_db()
    assert first.pk == again.pk
    assert issued_invoice.amount_paid == Decimal("2586.00") and issued_invoice.status == "paid"


def test_overdue_detection(owner, issued_invoice):
    Document.objects.filter(pk=issued_invoice.pk).update(status="issued")
    later = issued_invoice.due_date + timedelta(days=1)
    assert svc.invoices_mark_overdue(today=later) == 1
    issued_invoice.refresh_from_db()
    assert issued_invoice.status == "overdue"


@pytest.mark.parametrize("lines", [
    [{"description": "", "quantity": "1", "unit_price": "1"}],
    [{"description": "x", "quantity": "0", "unit_price": "1"}],
    [{"description": "x", "quantity": "1", "unit_price": "-1"}],
    [{"description": "x", "quantity": "abc", "unit_price": "1"}],
    [{"description": "x", "quantity": "1", "unit_price": "NaN"}],
    [{"description": "x", "quantity": "1", "unit_price": "1", "discount_percent": "101"}],
])
def test_bad_lines_are_refused_and_nothing_is_written(owner, company, lines):
    before = Document.objects.count()
    with pytest.raises(SalesError):
        svc.document_create(actor=owner, kind="invoice", data={"company": company}, lines=lines)
    assert Document.objects.count() == before


def test_a_read_only_member_and_a_sales_rep_limits(read_only, sales_rep, owner, issued_invoice, company):
    with pytest.raises(RecordPermissionError):
        svc.document_create(actor=read_only, kind="invoice", data={"company": company}, lines=[])
    with pytest.raises(RecordPermissionError):
        payment_record(invoice=issued_invoice, actor=read_only, amount="1")
    with pytest.raises(RecordPermissionError):
        svc.invoice_void(document=issued_invoice, actor=sales_rep, reason="no")


def test_a_credit_note_keeps_its_invoices_customer_and_currency(owner, issued_invoice, company):
    # given: a credit note whose currency someone tries to change before issuing it
    from tenant_apps.companies.services import company_create

    note = svc.credit_note_create(invoice=issued_invoice, actor=owner)
    other = company_create(actor=owner, data={"name": "Someone Else"})
    # when
    svc.document_update(document=note, actor=owner, data={"currency": "JPY", "company": other, "notes": "Goodwill"})
    note.refresh_from_db()
    # then: only its own words changed
    assert (note.currency, note.company_id, note.notes) == ("EUR", company.pk, "Goodwill")
    # and a note tampered with in the database is refused at issue
    Document.objects.filter(pk=note.pk).update(currency="JPY")
    with pytest.raises(SalesError) as refused:
        svc.invoice_issue(document=note, actor=owner)
    assert refused.value.code == "credit_note_mismatch"
    issued_invoice.refresh_from_db()
    assert issued_invoice.amount_credited == 0


def test_amounts_beyond_the_columns_are_refused_not_a_server_error(owner, company, issued_invoice):
    with pytest.raises(SalesError) as refused:
        svc.document_create(actor=owner, kind="invoice", data={"company": company},
                            lines=[{"description": "Huge", "quantity": "100000", "unit_price": "9999999999"}])
    assert refused.value.code == "amount_too_large"
    payment_record(invoice=issued_invoice, actor=owner, amount="9999999999999")
    with pytest.raises(SalesError) as refused:
        for _ in range(12):
            payment_record(invoice=issued_invoice, actor=owner, amount="9999999999999")
    assert refused.value.code == "payment_amount_invalid"


def test_invoices_are_dated_in_number_order(owner, company, issued_invoice):
    # given: an invoice issued today
    draft = svc.document_create(actor=owner, kind="invoice", data={"company": company},
                                lines=[{"description": "Work", "quantity": "1", "unit_price": "10"}])
    # when / then: neither a future date nor one before the last issued invoice
    for on, code in ((timezone.localdate() + timedelta(days=1), "issue_date_invalid"),
                     (timezone.localdate() - timedelta(days=1), "issue_date_before_last")):
        with pytest.raises(SalesError) as refused:
            svc.invoice_issue(document=draft, actor=owner, on=on)
        assert refused.value.code == code
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.number == ""


def test_a_format_that_restarts_into_used_numbers_is_a_clear_refusal(owner, company, issued_invoice):
    # given: the year written literally, so the counter (per period "") restarts at 1
    from tenant_apps.sales.models import SalesSettings

    SalesSettings.objects.filter(pk=1).update(invoice_number_format=f"INV-{timezone.localdate().year}-{{0000}}")
    draft = svc.document_create(actor=owner, kind="invoice", data={"company": company},
                                lines=[{"description": "Work", "quantity": "1", "unit_price": "10"}])
    # when
    with pytest.raises(SalesError) as refused:
        svc.invoice_issue(document=draft, actor=owner)
    # then
    assert refused.value.code == "number_taken" and issued_invoice.number in refused.value.message


def test_an_invoice_once_paid_cannot_be_voided_even_after_a_refund(owner, issued_invoice):
    payment_record(invoice=issued_invoice, actor=owner, amount="10")
    payment_refund(invoice=issued_invoice, actor=owner, amount="10")
    with pytest.raises(SalesError) as refused:
        svc.invoice_void(document=issued_invoice, actor=owner, reason="Mistake")
    assert refused.value.code == "wrong_status"
