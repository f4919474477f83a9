"""Payments and refunds on invoices. The invoice's paid amount and status follow in the
same transaction, under the invoice's row lock, so concurrent recordings add up."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from tenant_apps.records.history import history_context

from ..errors import SalesError
from ..models import Document, DocumentKind, DocumentStatus, Payment
from .documents import AMOUNT_LIMIT, OPEN_INVOICE, _decimal, _event, _require, invoice_settle

S = DocumentStatus


def _amount(value) -> Decimal:
    amount = _decimal(value, "amount", "payment_amount_invalid")
    if amount <= 0 or amount.as_tuple().exponent < -2 or amount >= Decimal("1e13"):
        raise SalesError("payment_amount_invalid", field="amount")
    return amount


def payment_record(*, invoice: Document, actor, amount, paid_on: date | None = None, method: str = Payment.Method.BANK_TRANSFER,
                   reference: str = "", note: str = "", currency: str | None = None, external_id: str | None = None,
                   door: str = "ui") -> Payment:
    """Record a full, partial or over-payment of an issued invoice.

    With an `external_id` (a Stripe payment) the same payment is recorded once however
    often it is reported: a repeat returns the first record. `actor` None is the system."""
    if actor is not None:
        _require(actor, "sales.record_payment", invoice)
    amount = _amount(amount)
    if method not in Payment.Method.values:
        method = Payment.Method.OTHER
    with transaction.atomic(), history_context(actor, door):
        invoice = Document.objects.select_for_update().get(pk=invoice.pk)
        if external_id:
            existing = Payment.objects.filter(external_id=external_id).first()
            if existing is not None:
                return existing
        if invoice.kind != DocumentKind.INVOICE or invoice.status not in (*OPEN_INVOICE, S.PAID):
            raise SalesError("wrong_status")
        if currency and currency.upper() != invoice.currency:
            raise SalesError("payment_currency_mismatch", field="currency")
        if invoice.amount_paid + amount >= AMOUNT_LIMIT:
            raise SalesError("payment_amount_invalid", field="amount")
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    document=invoice, kind=Payment.Kind.PAYMENT, amount=amount, currency=invoice.currency, method=method,
                    paid_on=paid_on or timezone.localdate(), reference=(reference or "")[:120], note=(note or "")[:300],
                    external_id=external_id or None, recorded_by=actor,
                )
        except IntegrityError:
            return Payment.objects.get(external_id=external_id)
        invoice.amount_paid += amount
        invoice_settle(invoice)
        _event(invoice, "payment_received", actor, amount=str(amount), method=method, payment_id=payment.pk,
               balance=str(invoice.balance))
    return payment


def payment_refund(*, invoice: Document, actor, amount, paid_on: date | None = None, method: str = Payment.Method.BANK_TRANSFER,
                   reference: str = "", note: str = "", door: str = "ui") -> Payment:
    """Pay money back on an invoice (an overpayment, or a refund); never more than was paid."""
    _require(actor, "sales.refund", invoice)
    amount = _amount(amount)
    with transaction.atomic(), history_context(actor, door):
        invoice = Document.objects.select_for_update().get(pk=invoice.pk)
        if invoice.kind != DocumentKind.INVOICE or invoice.status in (S.DRAFT, S.VOID):
            raise SalesError("wrong_status")
        if amount > invoice.amount_paid:
            raise SalesError("refund_exceeds_paid", field="amount")
        payment = Payment.objects.create(
            document=invoice, kind=Payment.Kind.REFUND, amount=amount, currency=invoice.currency,
            method=method if method in Payment.Method.values else Payment.Method.OTHER,
            paid_on=paid_on or timezone.localdate(), reference=(reference or "")[:120], note=(note or "")[:300],
            recorded_by=actor,
        )
        invoice.amount_paid -= amount
        invoice_settle(invoice)
        _event(invoice, "payment_refunded", actor, amount=str(amount), payment_id=payment.pk, balance=str(invoice.balance))
    return payment
