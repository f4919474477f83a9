"""The product catalogue: products with their price tiers and bundle contents, and tax rates.

Prices: one row per (currency, from-quantity); several rows in one currency are quantity
tiers, and a quantity is priced by the tier with the highest from-quantity not above it
(selectors.product_price_for). A product that is not a bundle needs at least one price.
A bundle may have its own prices; in a currency where it has none, its price is the sum
of its components' prices for their quantities (so a bundle follows its parts' price
changes unless it is given a price of its own).

Products used on documents are never deleted: document lines keep a snapshot of SKU,
description, price and taxes, and an archived product (is_active False) only leaves the
catalogue and quick-add."""

import re
from decimal import Decimal

from django.db import transaction
from django.db.models.functions import Lower

from tenant_apps.records.history import history_context

from ..errors import SalesError
from ..models import BundleItem, Product, ProductPrice, TaxRate
from .documents import _currency, _decimal, _require

PRODUCT_FIELDS = ("sku", "name", "description", "unit", "category", "billing", "is_bundle", "is_active")
MAX_PRICES = 100
MAX_BUNDLE_ITEMS = 100
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value, *, max_length: int) -> str:
    text = CONTROL.sub("", str(value or "")).strip()
    return text[:max_length]


def _apply_fields(product: Product, data: dict) -> None:
    for field in PRODUCT_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if field in ("is_bundle", "is_active"):
            setattr(product, field, bool(value))
        else:
            setattr(product, field, value)
    raw_sku = CONTROL.sub("", str(product.sku or "")).strip()
    if not raw_sku or len(raw_sku) > 64:
        raise SalesError("sku_required", field="sku")
    product.sku = raw_sku
    name = CONTROL.sub("", str(product.name or "")).strip()
    if not name or len(name) > 200:
        raise SalesError("product_name_required", field="name")
    product.name = name
    product.description = CONTROL.sub("", str(product.description or "")).strip()[:10_000]
    product.unit = _text(product.unit, max_length=20)
    product.category = _text(product.category, max_length=80)
    if product.billing not in Product.Billing.values:
        raise SalesError("billing_invalid", field="billing")
    taken = Product.objects.annotate(sku_lower=Lower("sku")).filter(sku_lower=product.sku.lower())
    if product.pk:
        taken = taken.exclude(pk=product.pk)
    if taken.exists():
        raise SalesError("sku_taken", field="sku")


def _tax_rates(values) -> list[TaxRate]:
    values = list(values or [])
    ids = []
    for value in values:
        if isinstance(value, TaxRate):
            ids.append(value.pk)
        elif isinstance(value, int) and not isinstance(value, bool):
            ids.append(value)
        elif isinstance(value, str) and value.strip().isdigit():
            ids.append(int(value))
        else:
            raise SalesError("tax_invalid", field="tax_rates")
    ids = list(dict.fromkeys(ids))
    found = {t.pk: t for t in TaxRate.objects.filter(pk__in=ids, is_active=True)}
    if len(found) != len(ids):
        raise SalesError("tax_invalid", field="tax_rates")
    return [found[i] for i in ids]


def _clean_prices(prices) -> list[dict]:
    prices = list(prices or [])
    if len(prices) > MAX_PRICES:
        raise SalesError("price_invalid", field="prices")
    cleaned, seen = [], set()
    for price in prices:
        if not isinstance(price, dict):
            raise SalesError("price_invalid", field="prices")
        try:
            currency = _currency(price.get("currency"))
        except SalesError:
            raise SalesError("price_invalid", field="prices") from None
        min_quantity = _decimal(price.get("min_quantity") if price.get("min_quantity") not in (None, "") else "1",
                                "prices", "price_invalid")
        unit_price = _decimal(price.get("unit_price"), "prices", "price_invalid")
        if (min_quantity <= 0 or unit_price < 0 or min_quantity.as_tuple().exponent < -3
                or unit_price.as_tuple().exponent < -4 or min_quantity >= Decimal("1e9")
                or unit_price >= Decimal("1e10")):
            raise SalesError("price_invalid", field="prices")
        key = (currency, min_quantity)
        if key in seen:
            raise SalesError("price_tier_duplicate", field="prices")
        seen.add(key)
        cleaned.append({"currency": currency, "min_quantity": min_quantity, "unit_price": unit_price})
    return sorted(cleaned, key=lambda p: (p["currency"], p["min_quantity"]))


def _clean_bundle_items(product: Product, items) -> list[dict]:
    items = list(items or [])
    if items and not product.is_bundle:
        raise SalesError("bundle_invalid", field="bundle_items")
    if len(items) > MAX_BUNDLE_ITEMS:
        raise SalesError("bundle_invalid", field="bundle_items")
    wanted = []
    for item in items:
        if not isinstance(item, dict):
            raise SalesError("bundle_invalid", field="bundle_items")
        component = item.get("component")
        pk = component.pk if isinstance(component, Product) else component
        if isinstance(pk, str) and pk.strip().isdigit():
            pk = int(pk)
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise SalesError("product_invalid", field="bundle_items")
        quantity = _decimal(item.get("quantity") if item.get("quantity") not in (None, "") else "1",
                            "bundle_items", "bundle_invalid")
        if quantity <= 0 or quantity.as_tuple().exponent < -3 or quantity >= Decimal("1e9"):
            raise SalesError("bundle_invalid", field="bundle_items")
        wanted.append((pk, quantity))
    ids = [pk for pk, _q in wanted]
    if len(set(ids)) != len(ids) or (product.pk is not None and product.pk in ids):
        raise SalesError("bundle_invalid", field="bundle_items")
    components = Product.objects.in_bulk(ids)
    kept = set(BundleItem.objects.filter(bundle=product).values_list("component_id", flat=True)) if product.pk else set()
    cleaned = []
    for pk, quantity in wanted:
        component = components.get(pk)
        if component is None or (not component.is_active and pk not in kept):
            # An archived product stays in the bundles it was already part of.
            raise SalesError("product_invalid", field="bundle_items")
        if component.is_bundle:
            raise SalesError("bundle_invalid", field="bundle_items")
        cleaned.append({"component": component, "quantity": quantity})
    return cleaned


def _write_prices(product: Product, prices: list[dict]) -> None:
    product.prices.all().delete()
    ProductPrice.objects.bulk_create([ProductPrice(product=product, **price) for price in prices])


def _write_bundle_items(product: Product, items: list[dict]) -> None:
    product.bundle_items.all().delete()
    BundleItem.objects.bulk_create(
        [BundleItem(bundle=product, position=i, **item) for i, item in enumerate(items)]
    )


def product_create(*, actor, data: dict, prices: list[dict], bundle_items: list[dict] = (), door: str = "ui") -> Product:
    """A new catalogue product with its price tiers (and components, for a bundle)."""
    _require(actor, "sales.change_product")
    product = Product(created_by=actor)
    _apply_fields(product, data)
    tax_rates = _tax_rates(data.get("tax_rates"))
    cleaned_prices = _clean_prices(prices)
    cleaned_items = _clean_bundle_items(product, bundle_items)
    if not cleaned_prices and not product.is_bundle:
        raise SalesError("price_required", field="prices")
    with transaction.atomic(), history_context(actor, door):
        product.save()
        product.tax_rates.set(tax_rates)
        _write_prices(product, cleaned_prices)
        _write_bundle_items(product, cleaned_items)
    return product


def product_update(*, product: Product, actor, data: dict, prices: list[dict] | None = None,
                   bundle_items: list[dict] | None = None, door: str = "ui") -> Product:
    """Change a product; `prices` and `bundle_items`, when given, replace the current ones.
    Documents already written keep their own copies of price, SKU and taxes."""
    _require(actor, "sales.change_product")
    with transaction.atomic(), history_context(actor, door):
        product = Product.objects.select_for_update().get(pk=product.pk)
        was_bundle = product.is_bundle
        _apply_fields(product, data)
        if product.is_bundle and not was_bundle and product.in_bundles.exists():
            raise SalesError("bundle_in_use", field="is_bundle")
        tax_rates = _tax_rates(data["tax_rates"]) if "tax_rates" in data else None
        cleaned_prices = _clean_prices(prices) if prices is not None else None
        if bundle_items is not None:
            cleaned_items = _clean_bundle_items(product, bundle_items)
        elif was_bundle and not product.is_bundle:
            cleaned_items = []  # no longer a bundle: it has no components
        else:
            cleaned_items = None
        has_prices = bool(cleaned_prices) if cleaned_prices is not None else product.prices.exists()
        if not has_prices and not product.is_bundle:
            raise SalesError("price_required", field="prices")
        product.save()
        if tax_rates is not None:
            product.tax_rates.set(tax_rates)
        if cleaned_prices is not None:
            _write_prices(product, cleaned_prices)
        if cleaned_items is not None:
            _write_bundle_items(product, cleaned_items)
    return product


def product_archive(*, product: Product, actor, door: str = "ui") -> Product:
    """Take a product out of the catalogue and quick-add (is_active False); it is never
    deleted, so documents and bundles that name it keep doing so."""
    _require(actor, "sales.change_product")
    with transaction.atomic(), history_context(actor, door):
        product = Product.objects.select_for_update().get(pk=product.pk)
        if product.is_active:
            product.is_active = False
            product.save(update_fields=["is_active", "updated_at"])
    return product
