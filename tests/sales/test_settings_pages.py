"""Settings → Sales and the products catalogue through the test client."""

from decimal import Decimal

import pytest
from django.utils import timezone

from tenant_apps.sales.models import Product, SalesSettings, TaxRate
from tenant_apps.sales.selectors import sales_settings
from tenant_apps.sales.services.documents import document_create, invoice_issue

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def settings_post(**changes) -> dict:
    data = {
        "offer_number_format": "OFF-{YYYY}-{0000}", "invoice_number_format": "INV-{YYYY}-{0000}",
        "credit_note_number_format": "CN-{YYYY}-{0000}", "payment_terms_days": "14", "offer_validity_days": "30",
        "default_layout": "classic", "reminder_days": "", "email_sender_name": "", "bank_name": "", "iban": "",
        "bic": "", "default_notes": "", "default_terms": "",
    }
    data.update(changes)
    return data


class TestSalesSettings:
    def test_save_formats_defaults_bank_and_reminders(self, client_for, owner, in_acme):
        client = client_for(owner)
        page = text(client.get("/settings/sales-setup/"))
        assert "Next number" in page and "INV-" in page
        response = client.post("/settings/sales-setup/", settings_post(
            invoice_number_format="R{YY}/{N}", reminder_days="14, 3,7", iban="bg80 bnbg 9661 1020 3456 78",
            default_layout="modern", prices_include_tax="on", email_sender_name="Acme Billing", payment_terms_days="30"))
        assert response.status_code == 302
        row = sales_settings()
        assert row.invoice_number_format == "R{YY}/{N}" and row.reminder_days == [3, 7, 14]
        assert row.iban == "BG80BNBG96611020345678" and row.default_layout == "modern" and row.prices_include_tax
        assert row.payment_terms_days == 30 and row.email_sender_name == "Acme Billing"
        year = timezone.localdate().year % 100
        assert f"R{year:02d}/1</code>" in text(client.get("/settings/sales-setup/"))

    def test_the_preview_counts_on_from_the_last_number(self, client_for, owner, company, vat):
        document = document_create(actor=owner, kind="invoice", data={"company": company},
                                   lines=[{"description": "x", "quantity": "1", "unit_price": "1"}])
        issued = invoice_issue(document=document, actor=owner)
        page = text(client_for(owner).get("/settings/sales-setup/"))
        assert issued.number.replace("0001", "0002") in page

    @pytest.mark.parametrize("changes, message", [
        ({"offer_number_format": "OFF-{YYYY}"}, "A number format needs exactly one counter"),
        ({"invoice_number_format": "INV-{0000}-{N}"}, "A number format needs exactly one counter"),
        ({"reminder_days": "3, soon"}, "List up to 10 different whole numbers of days"),
        ({"reminder_days": "0"}, "List up to 10 different whole numbers of days"),
        ({"reminder_days": "3, 3"}, "List up to 10 different whole numbers of days"),
        ({"iban": "not an iban"}, "Enter an IBAN"),
        ({"payment_terms_days": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"default_layout": "fancy"}, "Select a valid choice."),
    ])
    def test_bad_input_is_explained_and_nothing_changes(self, client_for, owner, in_acme, changes, message):
        before = sales_settings()
        response = client_for(owner).post("/settings/sales-setup/", settings_post(
            email_sender_name="Should not be saved", **changes))
        assert response.status_code == 400
        assert message in text(response)
        after = SalesSettings.objects.get(pk=1)
        assert (after.offer_number_format, after.invoice_number_format, after.reminder_days, after.email_sender_name) == (
            before.offer_number_format, before.invoice_number_format, before.reminder_days, before.email_sender_name)

    def test_only_managers_and_up(self, client_for, sales_rep, read_only, in_acme):
        assert client_for(sales_rep).get("/settings/sales-setup/").status_code == 403
        assert client_for(read_only).post("/settings/sales-setup/", settings_post(bank_name="X")).status_code == 403
        assert sales_settings().bank_name == ""


class TestTaxRates:
    def test_create_edit_and_refuse_a_duplicate(self, client_for, owner, in_acme):
        client = client_for(owner)
        response = client.post("/settings/sales-setup/tax-rates/new/", {"tax-name": "VAT", "tax-rate": "20", "tax-is_default": "on",
                                                                  "tax-is_active": "on"})
        assert response.status_code == 302
        tax = TaxRate.objects.get(name="VAT")
        assert tax.rate == Decimal("20") and tax.is_default
        response = client.post("/settings/sales-setup/tax-rates/new/", {"tax-name": "vat", "tax-rate": "9", "tax-is_active": "on"})
        assert response.status_code == 400 and "Another tax rate already has this name." in text(response)
        response = client.post("/settings/sales-setup/tax-rates/new/", {"tax-name": "Odd", "tax-rate": "120"})
        assert response.status_code == 400 and "Enter at most 100" in text(response)
        assert TaxRate.objects.count() == 1
        response = client.post(f"/settings/sales-setup/tax-rates/{tax.pk}/", {"name": "VAT reduced", "rate": "9,5",
                                                                         "is_active": "on"})
        assert response.status_code == 302
        tax.refresh_from_db()
        assert (tax.name, tax.rate, tax.is_default) == ("VAT reduced", Decimal("9.5"), False)

    def test_a_rate_in_use_is_archived_not_deleted(self, client_for, owner, vat):
        unused = TaxRate.objects.create(name="Zero", rate=Decimal("0"))
        product = Product.objects.create(sku="A-1", name="A")
        product.tax_rates.add(vat)
        client = client_for(owner)
        client.post(f"/settings/sales-setup/tax-rates/{vat.pk}/delete/")
        client.post(f"/settings/sales-setup/tax-rates/{unused.pk}/delete/")
        vat.refresh_from_db()
        assert not vat.is_active and not TaxRate.objects.filter(pk=unused.pk).exists()
        assert "Archived" in text(client.get("/settings/sales-setup/"))

    def test_a_sales_rep_cannot_touch_them(self, client_for, sales_rep, vat):
        client = client_for(sales_rep)
        assert client.post(f"/settings/sales-setup/tax-rates/{vat.pk}/delete/").status_code == 403
        assert client.post(f"/settings/sales-setup/tax-rates/{vat.pk}/", {"name": "X", "rate": "1"}).status_code == 403
        assert TaxRate.objects.filter(pk=vat.pk, name="VAT").exists()


def product_post(**changes) -> dict:
    data = {
        "sku": "SUP-1", "name": "Support plan", "unit": "month", "category": "Services", "billing": "monthly",
        "is_active": "on", "description": "",
        "prices-TOTAL_FORMS": "2", "prices-INITIAL_FORMS": "0", "prices-MIN_NUM_FORMS": "0", "prices-MAX_NUM_FORMS": "1000",
        "prices-0-currency": "eur", "prices-0-min_quantity": "1", "prices-0-unit_price": "49,90",
        "prices-1-currency": "EUR", "prices-1-min_quantity": "12", "prices-1-unit_price": "39.90",
        "bundle-TOTAL_FORMS": "1", "bundle-INITIAL_FORMS": "0", "bundle-MIN_NUM_FORMS": "0", "bundle-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


class TestProducts:
    def test_create_with_tiers_then_list_and_filter(self, client_for, owner, read_only, vat):
        client = client_for(owner)
        assert client.get("/sales/products/new/").status_code == 200
        response = client.post("/sales/products/new/", {**product_post(), "tax_rates": [str(vat.pk)]})
        assert response.status_code == 302, text(response)
        product = Product.objects.get(sku="SUP-1")
        assert [(p.currency, p.min_quantity, p.unit_price) for p in product.prices.all()] == [
            ("EUR", Decimal("1.000"), Decimal("49.9000")), ("EUR", Decimal("12.000"), Decimal("39.9000"))]
        assert list(product.tax_rates.all()) == [vat] and product.billing == "monthly"
        reader = client_for(read_only)
        listed = text(reader.get("/sales/products/?q=support&billing=monthly&category=Services"))
        assert "Support plan" in listed and "New product" not in listed
        assert "Support plan" not in text(reader.get("/sales/products/?billing=yearly"))
        assert reader.get("/sales/products/new/").status_code == 403

    def test_a_bundle_of_products(self, client_for, owner):
        part = Product.objects.create(sku="PART", name="Part")
        client = client_for(owner)
        # the new-price row left as it came (the workspace's currency, from 1) is not a price
        response = client.post("/sales/products/new/", product_post(
            sku="KIT", name="Kit", is_bundle="on", **{"prices-TOTAL_FORMS": "1", "prices-0-currency": "EUR",
                                                      "prices-0-min_quantity": "1", "prices-0-unit_price": "",
                                                      "bundle-0-component": str(part.pk), "bundle-0-quantity": "3"}))
        assert response.status_code == 302, text(response)
        kit = Product.objects.get(sku="KIT")
        assert [(i.component, i.quantity) for i in kit.bundle_items.all()] == [(part, Decimal("3.000"))]
        assert not kit.prices.exists()

    def test_bad_input_and_a_taken_sku(self, client_for, owner):
        Product.objects.create(sku="SUP-1", name="Existing")
        client = client_for(owner)
        response = client.post("/sales/products/new/", product_post())
        assert response.status_code == 400 and "Another product already has this SKU." in text(response)
        response = client.post("/sales/products/new/", product_post(sku="NEW-1", **{"prices-0-unit_price": "cheap"}))
        assert response.status_code == 400 and "Enter a number." in text(response)
        assert not Product.objects.filter(sku="NEW-1").exists()

    def test_edit_and_archive(self, client_for, owner):
        product = Product.objects.create(sku="SUP-1", name="Support")
        client = client_for(owner)
        assert "Support" in text(client.get(f"/sales/products/{product.pk}/"))
        response = client.post(f"/sales/products/{product.pk}/", product_post(name="Support plus"))
        assert response.status_code == 302
        product.refresh_from_db()
        assert product.name == "Support plus" and product.prices.count() == 2
        response = client.post(f"/sales/products/{product.pk}/archive/", follow=True)
        assert "has been archived" in text(response)
        product.refresh_from_db()
        assert not product.is_active
        assert "Support plus" not in text(client.get("/sales/products/"))
        assert "Support plus" in text(client.get("/sales/products/?active=0"))

    def test_the_list_reads_a_fixed_number_of_queries(self, client_for, owner, vat, django_assert_max_num_queries):
        from tenant_apps.sales.models import ProductPrice

        for i in range(20):
            product = Product.objects.create(sku=f"P{i}", name=f"Product {i}")
            product.tax_rates.add(vat)
            ProductPrice.objects.create(product=product, currency="EUR", unit_price=Decimal(i))
        client = client_for(owner)
        client.get("/sales/products/")
        with django_assert_max_num_queries(14):
            assert "Product 19" in text(client.get("/sales/products/"))
