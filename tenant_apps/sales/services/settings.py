"""The workspace's sales settings (numbering formats, defaults, bank details, reminders)."""

import re

from django.db import transaction

from tenant_apps.records.history import history_context
from tenant_apps.templates.catalogue import DOCUMENT_LAYOUTS

from ..errors import SalesError
from ..models import SalesSettings
from ..numbering import number_format_validate
from ..selectors import sales_settings
from .documents import _require

TEXTS = {"default_terms": 10_000, "default_notes": 10_000, "bank_name": 120, "email_sender_name": 120}
FORMATS = ("offer_number_format", "invoice_number_format", "credit_note_number_format")
DAYS = {"payment_terms_days": (0, 365), "offer_validity_days": (1, 365)}
IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$")
BIC = re.compile(r"^[A-Z0-9]{8}([A-Z0-9]{3})?$")


def _days(value, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise SalesError("days_invalid", field=field)
    text = str(value).strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise SalesError("days_invalid", field=field)
    return int(text)


def _reminder_days(value) -> list[int]:
    if isinstance(value, str):
        value = [part for part in re.split(r"[,\s]+", value) if part]
    if not isinstance(value, list | tuple) or len(value) > 10:
        raise SalesError("reminder_days_invalid", field="reminder_days")
    days = []
    for item in value:
        try:
            days.append(_days(item, "reminder_days", 1, 365))
        except SalesError:
            raise SalesError("reminder_days_invalid", field="reminder_days") from None
    if len(set(days)) != len(days):
        raise SalesError("reminder_days_invalid", field="reminder_days")
    return sorted(days)


def _clean(data: dict) -> dict:
    changes = {}
    for field in FORMATS:
        if field in data:
            try:
                changes[field] = number_format_validate(str(data[field] or ""))
            except SalesError:
                raise SalesError("number_format_invalid", field=field) from None
    for field, (low, high) in DAYS.items():
        if field in data:
            changes[field] = _days(data[field], field, low, high)
    if "prices_include_tax" in data:
        changes["prices_include_tax"] = bool(data["prices_include_tax"])
    if "reminder_days" in data:
        changes["reminder_days"] = _reminder_days(data["reminder_days"])
    for field, limit in TEXTS.items():
        if field in data:
            text = str(data[field] or "").strip()
            if len(text) > limit:
                raise SalesError("text_too_long", field=field)
            changes[field] = text
    if "iban" in data:
        iban = re.sub(r"\s+", "", str(data["iban"] or "")).upper()
        if iban and not IBAN.match(iban):
            raise SalesError("iban_invalid", field="iban")
        changes["iban"] = iban
    if "bic" in data:
        bic = re.sub(r"\s+", "", str(data["bic"] or "")).upper()
        if bic and not BIC.match(bic):
            raise SalesError("bic_invalid", field="bic")
        changes["bic"] = bic
    if "default_layout" in data:
        layout = str(data["default_layout"] or "").strip()
        if layout not in dict(DOCUMENT_LAYOUTS):
            raise SalesError("layout_invalid", field="default_layout")
        changes["default_layout"] = layout
    return changes


def sales_settings_update(*, actor, data: dict, door: str = "ui") -> SalesSettings:
    """Change the keys of `data` in the sales settings (managers); all or nothing. Issued
    documents keep the numbers and terms they were issued with."""
    _require(actor, "sales.change_settings")
    changes = _clean(data)
    with transaction.atomic(), history_context(actor, door):
        sales_settings()
        row = SalesSettings.objects.select_for_update().get(pk=1)
        for field, value in changes.items():
            setattr(row, field, value)
        row.save()
    return row
