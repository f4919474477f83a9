"""Isolation-matrix rows for the template editor, document PDFs and bulk exports
(see tests/test_isolation.py). Every object is acme's, made by its owner."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

URLS = {
    "template_list": ("get", "admin"),
    "template_edit": ("get", "admin"),
    "template_preview": ("post", "admin"),
    "template_versions": ("get", "admin"),
    "template_revert": ("post", "admin"),
    "sales_document_pdf": ("get", "member"),
    "sales_export_start": ("get", "member"),
    "sales_export_detail": ("get", "member"),
    "sales_export_status": ("get", "member"),
    "sales_export_download": ("get", "member"),
}


def _document(owner):
    from tenant_apps.companies.models import Company
    from tenant_apps.sales.models import Document, DocumentLine

    company = Company.objects.create(name="Secret Holdings", owner=owner)
    document = Document.objects.create(kind="invoice", currency="EUR", company=company, owner=owner,
                                       customer={"name": "Secret Holdings"}, total=Decimal("100"))
    DocumentLine.objects.create(document=document, description="Secret work", unit_price=Decimal("100"),
                                amount=Decimal("100"))
    return document


def _export(owner):
    from tenant_apps.templates.models import DocumentExport

    return DocumentExport.objects.create(status="done", total=1, processed=1, created_by=owner,
                                         file_path=f"tenants/{connection.schema_name}/exports/none.zip",
                                         expires_at=timezone.now() + timedelta(hours=1))


ARGS = {
    "template_edit": lambda owner: ["email-invoice-en"],
    "template_preview": lambda owner: ["document-classic"],
    "template_versions": lambda owner: ["email-offer-bg"],
    "template_revert": lambda owner: ["document-modern", 0],
    "sales_document_pdf": lambda owner: [_document(owner).pk],
    "sales_export_detail": lambda owner: [_export(owner).pk],
    "sales_export_status": lambda owner: [_export(owner).pk],
    "sales_export_download": lambda owner: [_export(owner).pk],
}


def url_args(name, tenant):
    from shared_apps.accounts.models import Membership

    if name not in ARGS:
        return []
    connection.set_tenant(tenant)
    try:
        return ARGS[name](Membership.objects.get(tenant=tenant, role="owner").user)
    finally:
        connection.set_schema_to_public()
