"""Isolation-matrix rows for the sales REST API (see tests/test_isolation.py). Every object
is acme's, owned by its owner; API rows are kind "api": an anonymous client and another
workspace's session get 401/403, and tests/api/test_isolation_keys.py calls the same URLs
with another workspace's key (401) and read-only keys (403 on every POST)."""

from datetime import date
from decimal import Decimal

from django.db import connection

URLS = {
    "api_product-list": ("get", "api"),
    "api_product-detail": ("get", "api"),
    "api_product-archive": ("post", "api"),
    "api_product-search": ("get", "api"),
    "api_tax_rate-list": ("get", "api"),
    "api_tax_rate-detail": ("get", "api"),
    "api_document-list": ("get", "api"),
    "api_document-detail": ("get", "api"),
    "api_document-issue": ("post", "api"),
    "api_document-mark-sent": ("post", "api"),
    "api_document-accept": ("post", "api"),
    "api_document-decline": ("post", "api"),
    "api_document-convert": ("post", "api"),
    "api_document-void": ("post", "api"),
    "api_document-credit-note": ("post", "api"),
    "api_payment-list": ("get", "api"),
    "api_payment-detail": ("get", "api"),
    "api_sales_settings": ("get", "api"),
}


def _objects(tenant):
    from shared_apps.accounts.models import Membership
    from tenant_apps.sales.models import Document, Payment, Product, TaxRate

    owner = Membership.objects.get(tenant=tenant, role="owner").user
    serial = Product.objects.count() + TaxRate.objects.count()
    tax_rate = TaxRate.objects.create(name=f"Secret VAT {serial}", rate=Decimal("20"))
    product = Product.objects.create(sku=f"SECRET-{serial}", name="Secret product", created_by=owner)
    document = Document.objects.create(kind="invoice", currency="EUR", owner=owner, created_by=owner,
                                       notes="Secret terms")
    payment = Payment.objects.create(document=document, amount=Decimal("10"), currency="EUR", paid_on=date.today(),
                                     reference="Secret reference", recorded_by=owner)
    return {"product": product, "tax_rate": tax_rate, "document": document, "payment": payment}


def url_args(name, tenant):
    if name.endswith(("-list", "-search")) or name == "api_sales_settings":
        return []
    resource = name.removeprefix("api_").split("-")[0]
    connection.set_tenant(tenant)
    try:
        return [_objects(tenant)[resource].pk]
    finally:
        connection.set_schema_to_public()
