"""Isolation-matrix rows for the sales pages (see tests/test_isolation.py): documents,
their actions and payments, look-ups, products and the sales settings. Every object is
acme's, owned by its owner."""

from decimal import Decimal

from django.db import connection

URLS = {
    "sales_document_list": ("get", "member"),
    "sales_document_new": ("get", "writer"),
    "sales_document_detail": ("get", "member"),
    "sales_document_edit": ("get", "writer"),
    "sales_document_delete": ("post", "writer"),
    "sales_document_issue": ("post", "writer"),
    "sales_document_mark_sent": ("post", "writer"),
    "sales_document_decide": ("post", "writer"),
    "sales_document_convert": ("post", "writer"),
    "sales_document_void": ("post", "manager"),
    "sales_document_credit_note": ("post", "manager"),
    "sales_document_duplicate": ("post", "writer"),
    "sales_payment_record": ("post", "writer"),
    "sales_payment_refund": ("post", "manager"),
    "sales_deal_offer": ("post", "writer"),
    "sales_product_lookup": ("get", "member"),
    "sales_contact_lookup": ("get", "member"),
    "sales_product_list": ("get", "member"),
    "sales_product_new": ("get", "manager"),
    "sales_product_edit": ("get", "manager"),
    "sales_product_archive": ("post", "manager"),
    "sales_settings": ("get", "manager"),
    "sales_tax_rate_new": ("post", "manager"),
    "sales_tax_rate_edit": ("get", "manager"),
    "sales_tax_rate_delete": ("post", "manager"),
}


def _objects(tenant):
    from shared_apps.accounts.models import Membership
    from tenant_apps.companies.models import Company
    from tenant_apps.deals.models import Deal, Pipeline
    from tenant_apps.sales.models import Document, DocumentLine, Product, ProductPrice, TaxRate

    owner = Membership.objects.get(tenant=tenant, role="owner").user
    company = Company.objects.create(name="Secret Holdings", owner=owner)
    pipeline = Pipeline.objects.get(is_default=True)
    deal = Deal.objects.create(title="Secret deal", pipeline=pipeline, stage=pipeline.stages.filter(kind="open").first(),
                               owner=owner, company=company, amount=Decimal("100"))
    document = Document.objects.create(kind="invoice", currency="EUR", company=company, owner=owner, created_by=owner,
                                       total=Decimal("120"), subtotal=Decimal("100"))
    DocumentLine.objects.create(document=document, description="Secret work", quantity=1, unit_price=Decimal("100"),
                                amount=Decimal("100"))
    tax, _created = TaxRate.objects.get_or_create(name="Isolation VAT", defaults={"rate": Decimal("20")})
    product = Product.objects.create(sku="SECRET-1", name="Secret product")
    ProductPrice.objects.create(product=product, currency="EUR", unit_price=Decimal("10"))
    return {"document": document, "deal": deal, "tax": tax, "product": product}


ARGS = {
    "sales_document_new": lambda o: ["offer"],
    "sales_document_detail": lambda o: [o["document"].pk],
    "sales_document_edit": lambda o: [o["document"].pk],
    "sales_document_delete": lambda o: [o["document"].pk],
    "sales_document_issue": lambda o: [o["document"].pk],
    "sales_document_mark_sent": lambda o: [o["document"].pk],
    "sales_document_decide": lambda o: [o["document"].pk],
    "sales_document_convert": lambda o: [o["document"].pk],
    "sales_document_void": lambda o: [o["document"].pk],
    "sales_document_credit_note": lambda o: [o["document"].pk],
    "sales_document_duplicate": lambda o: [o["document"].pk],
    "sales_payment_record": lambda o: [o["document"].pk],
    "sales_payment_refund": lambda o: [o["document"].pk],
    "sales_deal_offer": lambda o: [o["deal"].pk],
    "sales_product_edit": lambda o: [o["product"].pk],
    "sales_product_archive": lambda o: [o["product"].pk],
    "sales_tax_rate_edit": lambda o: [o["tax"].pk],
    "sales_tax_rate_delete": lambda o: [o["tax"].pk],
}


def url_args(name, tenant):
    if name not in ARGS:
        return []
    connection.set_tenant(tenant)
    try:
        return ARGS[name](_objects(tenant))
    finally:
        connection.set_schema_to_public()
