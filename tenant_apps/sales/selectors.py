"""Reads of sales documents and their settings."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, DecimalField, F, Prefetch, QuerySet, Sum, Value, When
from django.utils.translation import gettext as _

from tenant_apps.records.rules import sees_only_own

from .models import Document, DocumentLine, Payment, SalesSettings


def sales_settings() -> SalesSettings:
    """The workspace's sales settings row (created with defaults on first use)."""
    settings_row, _created = SalesSettings.objects.get_or_create(pk=1)
    return settings_row


@dataclass
class PaymentFilters:
    date_from: date | None = None
    date_to: date | None = None
    method: str = ""
    currency: str = ""
    kind: str = ""
    problems: list = field(default_factory=list)


def _date_param(params, name: str, problems: list) -> date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.append(_("“%(value)s” is not a date; use the form YYYY-MM-DD.") % {"value": raw[:20]})
        return None


def payment_filters_parse(params) -> PaymentFilters:
    """The payments list's filters from a query string; what cannot be read is ignored and named."""
    problems = []
    filters = PaymentFilters(date_from=_date_param(params, "from", problems), date_to=_date_param(params, "to", problems),
                             problems=problems)
    method = (params.get("method") or "").strip()
    filters.method = method if method in Payment.Method.values else ""
    kind = (params.get("kind") or "").strip()
    filters.kind = kind if kind in Payment.Kind.values else ""
    currency = (params.get("currency") or "").strip().upper()
    filters.currency = currency if re.fullmatch(r"[A-Z]{3}", currency) else ""
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        problems.append(_("The start date is after the end date."))
    return filters


def payment_list(*, user, filters: PaymentFilters) -> QuerySet:
    """Payments and refunds `user` may see (a rep limited to own records: on their invoices),
    newest first, with their invoice."""
    payments = Payment.objects.select_related("document")
    if sees_only_own(user):
        payments = payments.filter(document__owner=user)
    if filters.date_from:
        payments = payments.filter(paid_on__gte=filters.date_from)
    if filters.date_to:
        payments = payments.filter(paid_on__lte=filters.date_to)
    if filters.method:
        payments = payments.filter(method=filters.method)
    if filters.currency:
        payments = payments.filter(currency=filters.currency)
    if filters.kind:
        payments = payments.filter(kind=filters.kind)
    return payments.order_by("-paid_on", "-pk")


def payment_totals(payments: QuerySet) -> list[dict]:
    """Per currency: received, refunded and net (received minus refunded), in one query."""
    money = DecimalField(max_digits=18, decimal_places=2)
    zero = Value(Decimal("0"), output_field=money)
    rows = (
        payments.order_by().values("currency")
        .annotate(received=Sum(Case(When(kind=Payment.Kind.PAYMENT, then=F("amount")), default=zero, output_field=money)),
                  refunded=Sum(Case(When(kind=Payment.Kind.REFUND, then=F("amount")), default=zero, output_field=money)))
        .order_by("currency")
    )
    return [{**row, "net": row["received"] - row["refunded"]} for row in rows]


def payment_currencies() -> list[str]:
    return list(Payment.objects.order_by("currency").values_list("currency", flat=True).distinct())


def document_with_lines(pk) -> Document:
    return (
        Document.objects.select_related("company", "contact", "deal", "source_offer", "credited_document")
        .prefetch_related(Prefetch("lines", queryset=DocumentLine.objects.select_related("product")))
        .get(pk=pk)
    )
