"""Sales documents in a real browser: an offer with a product from the catalogue and a
free-text line (one more added and removed, the order changed), sent, accepted, converted,
the invoice issued and paid, and its PDF."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_offer_to_paid_invoice_with_its_pdf(acme, db_call):
    from shared_apps.accounts.models import User
    from tenant_apps.companies.services import company_create
    from tenant_apps.sales.models import Document, Product, ProductPrice, TaxRate

    page, base, errors = acme

    def catalogue():
        owner = User.objects.get(email="owner@acme.test")
        company_create(actor=owner, data={"name": "Initech"})
        vat = TaxRate.objects.create(name="VAT", rate=Decimal("20"), is_default=True)
        product = Product.objects.create(sku="LIC-1", name="Annual licence", unit="pcs")
        product.tax_rates.add(vat)
        ProductPrice.objects.create(product=product, currency="EUR", unit_price=Decimal("1200"))

    db_call(catalogue, "acme")
    page.goto(f"{base}/sales/")
    page.click("text=New offer")
    page.wait_for_url(re.compile(r".*/sales/new/offer/$"))
    page.fill("#id_company_name", "Initech")
    page.fill("#id_currency", "EUR")

    # A product from the catalogue fills the first line, with its price and tax.
    page.fill("[data-product-search]", "licen")
    page.locator(".product-option").first.click()
    first = page.locator("[data-line-row]").first
    expect(first.locator("[data-line=unit_price]")).to_have_value("1200")
    expect(page.locator("[data-total=total]")).to_contain_text("1,440.00")

    # A free-text line, added with the button.
    page.click("[data-add-line]")
    second = page.locator("[data-line-row]").nth(1)
    second.locator("[data-line=description]").fill("Installation on site")
    second.locator("[data-line=quantity]").fill("2")
    second.locator("[data-line=unit_price]").fill("150")
    second.locator("[data-line=taxes]").select_option(label="VAT (20%)")
    expect(page.locator("[data-total=total]")).to_contain_text("1,800.00")
    # A third line, removed again, and the free-text line moved to the top.
    page.click("[data-add-line]")
    third = page.locator("[data-line-row]").nth(2)
    third.locator("[data-line=description]").fill("Not needed")
    third.locator("[data-line=unit_price]").fill("999")
    expect(page.locator("[data-total=total]")).to_contain_text("2,998.80")
    third.locator("input[name$='-DELETE']").check()
    expect(page.locator("[data-total=total]")).to_contain_text("1,800.00")
    second.locator("[data-line-up]").click()
    expect(page.locator("[data-line-row]").first.locator("[data-line=description]")).to_have_value("Installation on site")
    page.click("text=Save draft")
    page.wait_for_url(re.compile(r".*/sales/documents/\d+/$"))
    assert "1,800.00" in page.inner_text(".document-total")

    page.click("button:has-text('Mark as sent')")
    expect(page.locator(".record-header h1")).to_contain_text("OFF-")
    page.click("button:has-text('Customer accepted')")
    expect(page.locator(".record-header .badge")).to_contain_text("Accepted")
    page.click("button:has-text('Create invoice')")
    expect(page.locator(".record-header h1")).to_contain_text("Invoice")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Issue invoice')")
    expect(page.locator(".record-header h1")).to_contain_text("INV-")

    # Record the payment: the form offers the balance.
    expect(page.locator("#id_pay-amount")).to_have_value("1800.00")
    page.fill("#id_pay-reference", "Bank TX 42")
    page.click("#record-payment button[type=submit]")
    expect(page.locator(".record-header .badge")).to_contain_text("Paid")
    assert "Bank TX 42" in page.inner_text("#payments")

    invoice = db_call(lambda: Document.objects.get(kind="invoice"), "acme")
    assert (invoice.status, invoice.total, invoice.amount_paid) == ("paid", Decimal("1800.00"), Decimal("1800.00"))
    assert [line.description for line in db_call(lambda: list(invoice.lines.all()), "acme")] == [
        "Installation on site", "Annual licence"]

    with page.expect_download() as download:
        page.click("a:has-text('PDF')")
    assert download.value.suggested_filename == f"{invoice.number}.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    # The inline view (what the browser shows when the PDF is opened rather than saved).
    answer = page.evaluate(
        "url => fetch(url).then(r => [r.status, r.headers.get('content-type')])", f"{base}/sales/documents/{invoice.pk}/pdf/")
    assert answer == [200, "application/pdf"]
    assert errors == []
