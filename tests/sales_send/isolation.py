"""Isolation-matrix rows for sending documents and the payments pages (see tests/test_isolation.py)."""

from django.db import connection

URLS = {
    "sales_document_send": ("get", "writer"),
    "sales_payment_list": ("get", "member"),
    "sales_payments_export": ("get", "manager"),
    "api_document_send": ("post", "api"),
}


def url_args(name, tenant):
    if name not in ("sales_document_send", "api_document_send"):
        return []
    from shared_apps.accounts.models import Membership
    from tenant_apps.companies.models import Company
    from tenant_apps.sales.services.documents import document_create

    owner = Membership.objects.get(tenant=tenant, role="owner").user
    connection.set_tenant(tenant)
    try:
        company = Company.objects.create(name="Owner's customer", email="buyer@customer.example", owner=owner)
        document = document_create(actor=owner, kind="offer", data={"company": company, "currency": "EUR"},
                                   lines=[{"description": "Private work", "quantity": "1", "unit_price": "10"}])
    finally:
        connection.set_schema_to_public()
    return [document.pk]
