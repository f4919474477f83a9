"""The workspace's sales set-up: numbering formats, defaults, bank details, the reminder
schedule, and tax rates. Managers and up (sales.change_settings)."""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from ..errors import SalesError
from ..models import SalesSettings, TaxRate
from ..numbering import number_format_validate
from ..selectors import sales_settings
from .documents import _require

LAYOUTS = ("classic", "modern")
SETTINGS_FIELDS = (
    "offer_number_format", "invoice_number_format", "credit_note_number_format", "prices_include_tax",
    "payment_terms_days", "offer_validity_days", "reminder_days", "default_terms", "default_notes", "default_layout",
    "bank_name", "iban", "bic", "email_sender_name",
)


def reminder_days_parse(value) -> list[int]:
    """'3, 7, 14' (or a list) -> [3, 7, 14]: whole days after the due date, sorted, once each."""
    if isinstance(value, str):
        parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
    else:
        parts = list(value or [])
    days = []
    for part in parts:
        try:
            day = int(str(part).strip())
        except ValueError:
            raise SalesError("reminder_days_invalid", field="reminder_days") from None
        if day < 1 or day > 365:
            raise SalesError("reminder_days_invalid", field="reminder_days")
        days.append(day)
    if len(days) > 12:
        raise SalesError("reminder_days_invalid", field="reminder_days")
    return sorted(set(days))


def sales_settings_update(*, actor, data: dict) -> SalesSettings:
    """Change the sales settings; formats and the reminder schedule are validated first,
    so a refused change leaves everything as it was."""
    _require(actor, "sales.change_settings")
    clean = {k: v for k, v in data.items() if k in SETTINGS_FIELDS}
    for name in ("offer_number_format", "invoice_number_format", "credit_note_number_format"):
        if name in clean:
            try:
                clean[name] = number_format_validate(clean[name])
            except SalesError as exc:
                raise SalesError(exc.code, field=name) from None
    if "reminder_days" in clean:
        clean["reminder_days"] = reminder_days_parse(clean["reminder_days"])
    if "default_layout" in clean and clean["default_layout"] not in LAYOUTS:
        raise SalesError("layout_invalid", field="default_layout")
    for name in ("iban", "bic"):
        if name in clean:
            clean[name] = (clean[name] or "").replace(" ", "").upper()
    with transaction.atomic():
        row = SalesSettings.objects.select_for_update().get(pk=sales_settings().pk)
        for name, value in clean.items():
            setattr(row, name, value)
        row.save()
    return row


def _tax_values(data: dict) -> dict:
    values = {}
    if "name" in data:
        values["name"] = (data["name"] or "").strip()[:60]
        if not values["name"]:
            raise SalesError("tax_rate_invalid", field="name")
    if "rate" in data:
        try:
            rate = data["rate"] if isinstance(data["rate"], Decimal) else Decimal(str(data["rate"]).replace(",", "."))
        except (InvalidOperation, ValueError):
            raise SalesError("tax_rate_invalid", field="rate") from None
        if not rate.is_finite() or rate < 0 or rate > 100 or rate.as_tuple().exponent < -2:
            raise SalesError("tax_rate_invalid", field="rate")
        values["rate"] = rate
    for flag in ("is_default", "is_active"):
        if flag in data:
            values[flag] = bool(data[flag])
    return values


def _save_tax(tax: TaxRate) -> TaxRate:
    try:
        with transaction.atomic():
            tax.save()
    except IntegrityError:
        raise SalesError("tax_name_taken", field="name") from None
    return tax


def tax_rate_create(*, actor, data: dict) -> TaxRate:
    """A new tax rate; names are unique whatever their case."""
    _require(actor, "sales.change_settings")
    values = _tax_values(data)
    if "name" not in values or "rate" not in values:
        raise SalesError("tax_rate_invalid", field="rate" if "name" in values else "name")
    return _save_tax(TaxRate(**values))


def tax_rate_update(*, tax_rate: TaxRate, actor, data: dict) -> TaxRate:
    """Rename, re-rate, (un)default or (de)activate a tax rate. Documents keep the rates
    their lines were written with, so a change never alters an existing document."""
    _require(actor, "sales.change_settings")
    for name, value in _tax_values(data).items():
        setattr(tax_rate, name, value)
    return _save_tax(tax_rate)


def tax_rate_delete(*, tax_rate: TaxRate, actor) -> bool:
    """Delete a tax rate no product uses; one in use is archived (inactive) instead.
    Returns True when it was deleted."""
    _require(actor, "sales.change_settings")
    with transaction.atomic():
        if tax_rate.products.exists():
            tax_rate.is_active = False
            tax_rate.is_default = False
            tax_rate.save(update_fields=["is_active", "is_default", "updated_at"])
            return False
        tax_rate.delete()
    return True
