"""Reads of sales documents and their settings."""

from decimal import Decimal, InvalidOperation

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from tenant_apps.records.errors import RecordNotFound
from tenant_apps.records.rules import sees_only_own
from tenant_apps.records.visibility import visible

from .errors import SalesError
from .models import BundleItem, Document, DocumentLine, Payment, Product, SalesSettings


def sales_settings() -> SalesSettings:
    """The workspace's sales settings row (created with defaults on first use)."""
    settings_row, _created = SalesSettings.objects.get_or_create(pk=1)
    return settings_row


def document_with_lines(pk) -> Document:
    return (
        Document.objects.select_related("company", "contact", "deal", "source_offer", "credited_document")
        .prefetch_related(Prefetch("lines", queryset=DocumentLine.objects.select_related("product")))
        .get(pk=pk)
    )


# --- the product catalogue ------------------------------------------------------------


def _tier_price(prices, currency: str, quantity: Decimal) -> Decimal | None:
    """The unit price of the tier with the highest from-quantity not above `quantity`."""
    best = None
    for price in prices:
        if price.currency == currency and price.min_quantity <= quantity:
            if best is None or price.min_quantity > best.min_quantity:
                best = price
    return best.unit_price if best is not None else None


def _price_of(product: Product, currency: str, quantity: Decimal) -> Decimal | None:
    # .all() reads the prefetched rows when the caller prefetched them (product_search).
    own = _tier_price(product.prices.all(), currency, quantity)
    if own is not None or not product.is_bundle:
        return own
    # A bundle without a price of its own in this currency costs what its parts cost,
    # per bundle: Σ component price(quantity × bundle quantity) × component quantity.
    items = list(product.bundle_items.all())
    if not items:
        return None
    total = Decimal("0")
    for item in items:
        part = _tier_price(item.component.prices.all(), currency, item.quantity * quantity)
        if part is None:
            return None
        total += part * item.quantity
    return total


def product_price_for(*, product: Product, currency: str, quantity) -> Decimal | None:
    """The unit price of `quantity` of `product` in `currency`, from its quantity tiers (a
    bundle without its own price: from its components), or None when it has none there."""
    currency = (currency or "").strip().upper()
    try:
        quantity = Decimal(str(quantity))
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not quantity.is_finite() or quantity <= 0:
        return None
    return _price_of(product, currency, quantity)


def _catalogue() -> QuerySet:
    return Product.objects.prefetch_related(
        "prices",
        "tax_rates",
        Prefetch("bundle_items", queryset=BundleItem.objects.select_related("component").prefetch_related(
            "component__prices")),
    )


def product_search(*, query: str, currency: str, limit: int = 10) -> list[dict]:
    """Active products whose SKU or name contains `query` (all of them for an empty query),
    with their price for one unit in `currency` (None when they have none): quick-add."""
    # Typed text: anything unprintable (a NUL cannot even reach PostgreSQL) is dropped.
    query = "".join(ch for ch in (query or "") if ch.isprintable()).strip()[:100]
    currency = (currency or "").strip().upper()
    products = _catalogue().filter(is_active=True)
    if query:
        products = products.filter(Q(sku__icontains=query) | Q(name__icontains=query))
    limit = max(1, min(int(limit), 50))
    return [
        {
            "id": product.pk,
            "sku": product.sku,
            "name": product.name,
            "unit": product.unit,
            "unit_price": _price_of(product, currency, Decimal("1")),
            "tax_rate_ids": [rate.pk for rate in product.tax_rates.all() if rate.is_active],
            "billing": product.billing,
        }
        for product in products.order_by(Lower("name"), "pk")[:limit]
    ]


def product_list() -> QuerySet:
    """Catalogue rows with their prices, tax rates and bundle contents (no N+1)."""
    return _catalogue().order_by(Lower("name"), "pk")


def product_get(pk) -> Product:
    """One catalogue product with its prices, tax rates and bundle contents."""
    product = _catalogue().filter(pk=pk).first()
    if product is None:
        raise RecordNotFound()
    return product


def document_lines_priced(*, lines: list[dict], currency: str) -> list[dict]:
    """Quick-add: a line that names a product but no unit price gets the product's price
    for its quantity in `currency`, and no tax rates the product's active ones."""
    product_ids = {line["product"] for line in lines if isinstance(line.get("product"), int)}
    products = _catalogue().in_bulk(product_ids)
    priced = []
    for line in lines:
        line = dict(line)
        pk = line.get("product")
        if pk is not None:
            product = products.get(pk)
            if product is None:
                raise SalesError("product_invalid", field="lines")
            line["product"] = product
            if line.get("unit_price") in (None, ""):
                price = product_price_for(product=product, currency=currency, quantity=line.get("quantity") or "1")
                if price is None:
                    raise SalesError("price_missing", field="lines")
                line["unit_price"] = price
            if "tax_rates" not in line:
                line["tax_rates"] = [rate.pk for rate in product.tax_rates.all() if rate.is_active]
        priced.append(line)
    return priced


# --- documents and payments, as `user` may see them ---------------------------------


def document_list(*, user) -> QuerySet:
    """Documents `user` may see (a rep limited to own records: the ones they own), newest first."""
    return visible(Document.objects.all(), user).select_related("company", "contact", "deal", "owner").order_by(
        "-created_at", "-pk")


def document_get(*, user, pk) -> Document:
    """One document with its lines and payments, or RecordNotFound when `user` may not see it."""
    document = (
        visible(Document.objects.all(), user)
        .select_related("company", "contact", "deal", "owner")
        .prefetch_related(Prefetch("lines", queryset=DocumentLine.objects.order_by("position", "pk")),
                          Prefetch("payments", queryset=Payment.objects.select_related("recorded_by")))
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise RecordNotFound()
    return document


def payment_list(*, user) -> QuerySet:
    """Payments and refunds on the invoices `user` may see, latest first."""
    payments = Payment.objects.select_related("document", "recorded_by")
    if sees_only_own(user):
        payments = payments.filter(document__owner=user)
    return payments.order_by("-paid_on", "-pk")


def payment_get(*, user, pk) -> Payment:
    payment = payment_list(user=user).filter(pk=pk).first()
    if payment is None:
        raise RecordNotFound()
    return payment
