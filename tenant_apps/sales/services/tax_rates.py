"""Tax rates of the workspace. Document lines keep a copy of the name and rate they were
written with, so changing or archiving a rate never changes a document."""

from decimal import Decimal

from django.db import transaction
from django.db.models.functions import Lower

from tenant_apps.records.history import history_context

from ..errors import SalesError
from ..models import TaxRate
from .documents import _decimal, _require
from .products import CONTROL

FIELDS = ("name", "rate", "is_default", "is_active")


def _apply(tax_rate: TaxRate, data: dict) -> None:
    for field in FIELDS:
        if field in data:
            setattr(tax_rate, field, bool(data[field]) if field in ("is_default", "is_active") else data[field])
    name = CONTROL.sub("", str(tax_rate.name or "")).strip()
    if not name or len(name) > 60:
        raise SalesError("tax_rate_invalid", field="name")
    tax_rate.name = name
    rate = _decimal(tax_rate.rate if tax_rate.rate is not None else "", "rate", "tax_rate_invalid")
    if rate < 0 or rate > 100 or rate.as_tuple().exponent < -2:
        raise SalesError("tax_rate_invalid", field="rate")
    tax_rate.rate = rate.quantize(Decimal("0.01"))
    taken = TaxRate.objects.annotate(name_lower=Lower("name")).filter(name_lower=name.lower())
    if tax_rate.pk:
        taken = taken.exclude(pk=tax_rate.pk)
    if taken.exists():
        raise SalesError("tax_name_taken", field="name")


def tax_rate_create(*, actor, data: dict, door: str = "ui") -> TaxRate:
    """A new tax rate (managers)."""
    _require(actor, "sales.change_settings")
    tax_rate = TaxRate(rate=None)
    _apply(tax_rate, data)
    with transaction.atomic(), history_context(actor, door):
        tax_rate.save()
    return tax_rate


def tax_rate_update(*, tax_rate: TaxRate, actor, data: dict, door: str = "ui") -> TaxRate:
    """Rename, re-rate, (un)archive or make default a tax rate; documents keep their copies."""
    _require(actor, "sales.change_settings")
    with transaction.atomic(), history_context(actor, door):
        tax_rate = TaxRate.objects.select_for_update().get(pk=tax_rate.pk)
        _apply(tax_rate, data)
        tax_rate.save()
    return tax_rate


def tax_rate_delete(*, tax_rate: TaxRate, actor, door: str = "ui") -> bool:
    """Delete a tax rate no product uses; one in use is archived instead (is_active False,
    no longer offered). True when it was deleted."""
    _require(actor, "sales.change_settings")
    with transaction.atomic(), history_context(actor, door):
        tax_rate = TaxRate.objects.select_for_update().get(pk=tax_rate.pk)
        if tax_rate.products.exists():
            tax_rate.is_active = False
            tax_rate.is_default = False
            tax_rate.save(update_fields=["is_active", "is_default", "updated_at"])
            return False
        tax_rate.delete()
    return True
