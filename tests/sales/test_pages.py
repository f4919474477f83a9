"""The sales documents' pages through the test client: the list (filters, visibility,
query counts), the editor (lines, bad input, nothing saved on error), a document's page
and its life cycle (send, accept, convert, issue, pay, refund, void, credit, duplicate),
the PDF, the look-ups and the documents sections of company, contact and deal pages."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tenant_apps.sales.models import Document, Payment, Product, ProductPrice
from tenant_apps.sales.services.documents import document_create, invoice_issue, offer_mark_sent
from tenant_apps.sales.services.payments import payment_record

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def documents_card(page: str) -> str:
    """The "Offers and invoices" card of a company, contact or deal page."""
    return page.split('class="card record-documents"', 1)[1].split("</ul>", 1)[0]


def editor_post(*, company="Initech", contact="", currency="EUR", lines=(), **extra) -> dict:
    """The editor's POST: header fields and a lines formset."""
    data = {
        "company_name": company, "contact_name": contact, "currency": currency, "language": "en", "layout": "classic",
        "discount_percent": "", "notes": "", "terms": "", "owner": "", "payment_terms_days": "14",
        "lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for i, line in enumerate(lines):
        for key, value in line.items():
            if key == "tax_rates":
                continue
            data[f"lines-{i}-{key}"] = value
    data.update(extra)
    return data


def with_taxes(data: dict, lines) -> list:
    """Django's test client posts a list value as repeated fields (a multi-select)."""
    for i, line in enumerate(lines):
        if line.get("tax_rates"):
            data[f"lines-{i}-tax_rates"] = line["tax_rates"]
    return data


def invoice_for(owner, company, vat, **data):
    return document_create(actor=owner, kind="invoice", data={"company": company, "currency": "EUR", **data},
                           lines=[{"description": "Work", "quantity": "2", "unit_price": "50", "tax_rates": [vat.pk]}])


# --- the list -----------------------------------------------------------------------------


class TestList:
    def test_it_lists_filters_and_finds(self, client_for, owner, company, vat, issued_invoice):
        offer = document_create(actor=owner, kind="offer", data={"company": company}, lines=[])
        client = client_for(owner)
        page = text(client.get("/sales/"))
        offer_link = f"/sales/documents/{offer.pk}/"
        assert issued_invoice.number in page and offer_link in page
        offers = text(client.get("/sales/?kind=offer"))
        assert issued_invoice.number not in offers and offer_link in offers
        found = text(client.get("/sales/?q=initech&status=issued"))
        assert issued_invoice.number in found and offer_link not in found
        assert issued_invoice.number not in text(client.get("/sales/?q=nobody-like-this"))

    def test_the_zip_export_link_carries_the_lists_filters(self, client_for, owner, company):
        page = client_for(owner).get(f"/sales/?kind=invoice&status=issued&company={company.pk}&from=2026-01-01&to=2026-12-31")
        assert (f"/sales/exports/?kind=invoice&amp;status=issued&amp;company={company.pk}&amp;date_from=2026-01-01"
                "&amp;date_to=2026-12-31") in text(page)

    def test_overdue_filter_includes_invoices_the_daily_job_has_not_marked_yet(self, client_for, owner, company, vat):
        late = invoice_issue(document=invoice_for(owner, company, vat), actor=owner,
                             on=timezone.localdate() - timezone.timedelta(days=40))
        current = invoice_issue(document=invoice_for(owner, company, vat), actor=owner)
        page = text(client_for(owner).get("/sales/?overdue=1"))
        assert late.number in page and current.number not in page

    def test_a_restricted_rep_sees_only_their_documents(self, restricted, client_for, owner, sales_rep, company, vat):
        theirs = document_create(actor=sales_rep, kind="offer", data={}, lines=[])
        not_theirs = invoice_for(owner, company, vat)
        client = client_for(sales_rep)
        page = text(client.get("/sales/"))
        assert f"/sales/documents/{theirs.pk}/" in page and f"/sales/documents/{not_theirs.pk}/" not in page
        assert client.get(f"/sales/documents/{not_theirs.pk}/").status_code == 404
        assert client.get(f"/sales/documents/{not_theirs.pk}/pdf/").status_code == 404
        assert client.post(f"/sales/documents/{not_theirs.pk}/delete/").status_code == 404
        assert Document.objects.filter(pk=not_theirs.pk).exists()

    def test_queries_do_not_grow_with_the_page(self, client_for, owner, company, contact, vat):
        client = client_for(owner)
        document_create(actor=owner, kind="offer", data={"company": company, "contact": contact}, lines=[])
        client.get("/sales/")  # sessions, hosts and settings read once and cached
        with CaptureQueriesContext(connection) as few:
            assert client.get("/sales/").status_code == 200
        for _i in range(15):
            issue = invoice_issue(document=invoice_for(owner, company, vat, contact=contact), actor=owner)
            payment_record(invoice=issue, actor=owner, amount="10")
        with CaptureQueriesContext(connection) as many:
            page = client.get("/sales/")
        assert page.status_code == 200 and text(page).count("/sales/documents/") >= 16
        assert len(many.captured_queries) == len(few.captured_queries)


# --- the editor -----------------------------------------------------------------------------


class TestEditor:
    def test_create_an_offer_with_a_product_line_and_a_free_text_line(self, client_for, owner, company, contact, vat):
        product = Product.objects.create(sku="CONS-1", name="Consulting day", unit="day")
        lines = [
            {"product": str(product.pk), "description": "Consulting day", "quantity": "2", "unit": "day",
             "unit_price": "500", "discount_percent": "10", "ORDER": "2", "tax_rates": [str(vat.pk)]},
            {"description": "Travel", "quantity": "1", "unit_price": "80,50", "ORDER": "1", "tax_rates": [str(vat.pk)]},
        ]
        data = with_taxes(editor_post(contact="Ivan Petrov", lines=lines,
                                      valid_until="2030-01-31", subtotal="1.00"), lines)
        response = client_for(owner).post("/sales/new/offer/", data)
        assert response.status_code == 302, text(response)
        offer = Document.objects.get(kind="offer")
        assert response["Location"] == f"/sales/documents/{offer.pk}/"
        assert (offer.company, offer.contact, offer.owner) == (company, contact, owner)
        descriptions = [line.description for line in offer.lines.all()]
        assert descriptions == ["Travel", "Consulting day"]  # the ORDER field wins over the form's place
        assert offer.lines.get(description="Consulting day").product == product
        # 80.50 + 2 × 500 × 0.9 = 980.50 net, 20 % tax: the server's numbers, not the client's
        assert (offer.subtotal, offer.tax_total, offer.total) == (Decimal("980.50"), Decimal("196.10"), Decimal("1176.60"))
        assert str(offer.valid_until) == "2030-01-31"

    def test_bad_input_is_explained_and_nothing_is_saved(self, client_for, owner, company):
        client = client_for(owner)
        lines = [{"description": "Work", "quantity": "many", "unit_price": "-5"}]
        response = client.post("/sales/new/invoice/", editor_post(lines=lines))
        assert response.status_code == 400
        assert "Enter a number." in text(response) and "Enter at least 0" in text(response)
        response = client.post("/sales/new/invoice/", editor_post(company="No Such Ltd", lines=[
            {"description": "Work", "quantity": "1", "unit_price": "5"}]))
        assert response.status_code == 400 and "There is no company with this name" in text(response)
        assert not Document.objects.exists()

    def test_a_refusal_of_the_service_shows_next_to_its_field(self, client_for, owner, company):
        response = client_for(owner).post("/sales/new/invoice/", editor_post(currency="E1X", lines=[
            {"description": "Work", "quantity": "1", "unit_price": "5"}]))
        assert response.status_code == 400
        assert "Enter a three-letter currency code" in text(response)
        assert not Document.objects.exists()

    def test_errors_come_in_bulgarian(self, client_for, owner, company):
        client = client_for(owner)
        client.cookies["django_language"] = "bg"
        owner.language = "bg"
        owner.save(update_fields=["language"])
        response = client.post("/sales/new/invoice/", editor_post(currency="E1X", lines=[
            {"description": "Работа", "quantity": "1", "unit_price": "5"}]))
        with translation.override("bg"):
            message = translation.gettext("Enter a three-letter currency code, such as EUR or BGN.")
        assert message != "Enter a three-letter currency code, such as EUR or BGN."
        assert message in text(response)

    def test_edit_a_draft_replaces_its_lines(self, client_for, owner, company, draft_invoice, vat):
        client = client_for(owner)
        page = client.get(f"/sales/documents/{draft_invoice.pk}/edit/")
        assert page.status_code == 200 and "Consulting" in text(page) and 'id="line-template"' in text(page)
        lines = [{"description": "Only this", "quantity": "3", "unit_price": "10", "tax_rates": [str(vat.pk)]},
                 {"description": "Gone", "quantity": "1", "unit_price": "10", "DELETE": "on"}]
        response = client.post(f"/sales/documents/{draft_invoice.pk}/edit/",
                               with_taxes(editor_post(lines=lines, discount_percent="10"), lines))
        assert response.status_code == 302
        draft_invoice.refresh_from_db()
        assert [line.description for line in draft_invoice.lines.all()] == ["Only this"]
        assert (draft_invoice.net_total, draft_invoice.total) == (Decimal("27.00"), Decimal("32.40"))

    def test_save_and_add_a_line_comes_back_to_the_editor(self, client_for, owner, company, draft_invoice):
        response = client_for(owner).post(f"/sales/documents/{draft_invoice.pk}/edit/", editor_post(
            lines=[{"description": "One", "quantity": "1", "unit_price": "1"}], add_line="1"))
        assert response["Location"] == f"/sales/documents/{draft_invoice.pk}/edit/"

    def test_an_issued_invoice_refuses_the_editor(self, client_for, owner, issued_invoice):
        client = client_for(owner)
        response = client.get(f"/sales/documents/{issued_invoice.pk}/edit/")
        assert response.status_code == 302
        response = client.post(f"/sales/documents/{issued_invoice.pk}/edit/", editor_post(
            lines=[{"description": "Changed", "quantity": "1", "unit_price": "1"}]))
        assert response.status_code == 302
        issued_invoice.refresh_from_db()
        assert issued_invoice.lines.filter(description="Changed").count() == 0
        assert "no longer a draft" in text(client.get(response["Location"]))

    def test_a_reader_cannot_write_through_the_editor(self, client_for, read_only, draft_invoice):
        client = client_for(read_only)
        assert client.get("/sales/new/offer/").status_code == 403
        assert client.get(f"/sales/documents/{draft_invoice.pk}/edit/").status_code == 403
        response = client.post(f"/sales/documents/{draft_invoice.pk}/edit/", editor_post(
            lines=[{"description": "Changed", "quantity": "1", "unit_price": "1"}]))
        assert response.status_code == 403
        assert not draft_invoice.lines.filter(description="Changed").exists()

    def test_new_offer_for_a_contact_starts_with_their_company(self, client_for, owner, contact, company, vat):
        page = text(client_for(owner).get(f"/sales/new/offer/?contact={contact.pk}"))
        assert 'value="Initech"' in page and 'value="Ivan Petrov &lt;ivan@initech.example&gt;"' in page
        assert f'<option value="{vat.pk}" selected>' in page  # default tax on the first line


# --- a document's page and its life cycle ------------------------------------------------------


class TestLifeCycle:
    def test_offer_to_paid_invoice(self, client_for, owner, company, contact, vat):
        client = client_for(owner)
        offer = document_create(actor=owner, kind="offer", data={"company": company, "contact": contact},
                                lines=[{"description": "Setup", "quantity": "1", "unit_price": "100", "tax_rates": [vat.pk]}])
        page = text(client.get(f"/sales/documents/{offer.pk}/"))
        assert "Mark as sent" in page and "Issue invoice" not in page
        client.post(f"/sales/documents/{offer.pk}/mark-sent/")
        offer.refresh_from_db()
        assert offer.status == "sent" and offer.number.startswith("OFF-")
        client.post(f"/sales/documents/{offer.pk}/decide/", {"decision": "accept"})
        offer.refresh_from_db()
        assert offer.status == "accepted"
        response = client.post(f"/sales/documents/{offer.pk}/convert/")
        invoice = Document.objects.get(kind="invoice")
        assert response["Location"] == f"/sales/documents/{invoice.pk}/"
        client.post(f"/sales/documents/{invoice.pk}/issue/")
        invoice.refresh_from_db()
        assert invoice.status == "issued" and invoice.number.startswith("INV-")
        page = text(client.get(f"/sales/documents/{invoice.pk}/"))
        assert 'value="120.00"' in page  # the payment form offers the balance
        client.post(f"/sales/documents/{invoice.pk}/payments/", {
            "pay-amount": "100", "pay-paid_on": "2030-01-02", "pay-method": "bank_transfer", "pay-reference": "TX-1"})
        client.post(f"/sales/documents/{invoice.pk}/payments/", {
            "pay-amount": "30", "pay-paid_on": "2030-01-03", "pay-method": "card"})
        invoice.refresh_from_db()
        assert invoice.status == "paid" and invoice.balance == Decimal("-10.00")
        client.post(f"/sales/documents/{invoice.pk}/refunds/", {
            "refund-amount": "10", "refund-paid_on": "2030-01-04", "refund-method": "bank_transfer"})
        invoice.refresh_from_db()
        assert invoice.balance == Decimal("0.00")
        page = text(client.get(f"/sales/documents/{invoice.pk}/"))
        assert "TX-1" in page and "Refund" in page and offer.number in page
        events = text(client.get(f"/sales/documents/{offer.pk}/"))
        assert "The customer accepted the offer" in events and "Converted to an invoice" in events

    def test_a_decline_and_a_missing_decision(self, client_for, owner, company, vat):
        offer = document_create(actor=owner, kind="offer", data={"company": company},
                                lines=[{"description": "Setup", "quantity": "1", "unit_price": "100"}])
        offer_mark_sent(document=offer, actor=owner)
        client = client_for(owner)
        response = client.post(f"/sales/documents/{offer.pk}/decide/", {"decision": "maybe"}, follow=True)
        assert "Choose whether the customer accepted or declined." in text(response)
        client.post(f"/sales/documents/{offer.pk}/decide/", {"decision": "decline"})
        offer.refresh_from_db()
        assert offer.status == "declined"
        response = client.post(f"/sales/documents/{offer.pk}/convert/", follow=True)
        assert "not possible in the document&#x27;s current status" in text(response)
        assert not Document.objects.filter(kind="invoice").exists()

    def test_issuing_without_lines_is_explained(self, client_for, owner, company):
        draft = document_create(actor=owner, kind="invoice", data={"company": company}, lines=[])
        response = client_for(owner).post(f"/sales/documents/{draft.pk}/issue/", follow=True)
        assert "Add at least one line" in text(response)
        draft.refresh_from_db()
        assert draft.status == "draft" and draft.number == ""

    def test_bad_payment_input(self, client_for, owner, issued_invoice):
        client = client_for(owner)
        response = client.post(f"/sales/documents/{issued_invoice.pk}/payments/", {
            "pay-amount": "abc", "pay-paid_on": "2030-01-02", "pay-method": "cash"}, follow=True)
        assert "Enter a number." in text(response)
        response = client.post(f"/sales/documents/{issued_invoice.pk}/refunds/", {
            "refund-amount": "5", "refund-paid_on": "2030-01-02", "refund-method": "cash"}, follow=True)
        assert "cannot be larger than what was paid" in text(response)
        assert not Payment.objects.exists()

    def test_void_credit_and_duplicate(self, client_for, owner, company, vat, issued_invoice):
        client = client_for(owner)
        response = client.post(f"/sales/documents/{issued_invoice.pk}/void/", {"reason": ""}, follow=True)
        assert "Say why the invoice is void." in text(response)
        response = client.post(f"/sales/documents/{issued_invoice.pk}/credit-note/")
        note = Document.objects.get(kind="credit_note")
        assert response["Location"] == f"/sales/documents/{note.pk}/edit/"
        assert client.get(response["Location"]).status_code == 200
        client.post(f"/sales/documents/{note.pk}/issue/")
        note.refresh_from_db()
        issued_invoice.refresh_from_db()
        assert note.status == "issued" and issued_invoice.status == "paid"
        response = client.post(f"/sales/documents/{issued_invoice.pk}/duplicate/")
        copy = Document.objects.filter(kind="invoice", status="draft").get()
        assert response["Location"] == f"/sales/documents/{copy.pk}/edit/"
        assert copy.lines.count() == issued_invoice.lines.count() and copy.total == issued_invoice.total
        other = invoice_issue(document=invoice_for(owner, company, vat), actor=owner)
        client.post(f"/sales/documents/{other.pk}/void/", {"reason": "Sent twice"})
        other.refresh_from_db()
        assert other.status == "void" and other.void_reason == "Sent twice"

    def test_delete_a_draft(self, client_for, owner, company, vat, issued_invoice):
        draft_invoice = invoice_for(owner, company, vat)
        client = client_for(owner)
        assert client.post(f"/sales/documents/{draft_invoice.pk}/delete/")["Location"] == "/sales/"
        assert not Document.objects.filter(pk=draft_invoice.pk).exists()

    def test_roles(self, client_for, read_only, sales_rep, issued_invoice):
        reader = client_for(read_only)
        page = text(reader.get(f"/sales/documents/{issued_invoice.pk}/"))
        assert "Record payment" not in page and "Create credit note" not in page
        assert reader.post(f"/sales/documents/{issued_invoice.pk}/payments/", {
            "pay-amount": "1", "pay-paid_on": "2030-01-02", "pay-method": "cash"}).status_code == 403
        rep = client_for(sales_rep)
        page = text(rep.get(f"/sales/documents/{issued_invoice.pk}/"))
        assert "Record payment" in page and "Void invoice" not in page
        assert rep.post(f"/sales/documents/{issued_invoice.pk}/void/", {"reason": "x"}).status_code == 403
        assert rep.post(f"/sales/documents/{issued_invoice.pk}/credit-note/").status_code == 403
        assert rep.post(f"/sales/documents/{issued_invoice.pk}/refunds/", {
            "refund-amount": "1", "refund-paid_on": "2030-01-02", "refund-method": "cash"}).status_code == 403
        issued_invoice.refresh_from_db()
        assert issued_invoice.status == "issued" and not Payment.objects.exists()

    def test_pdf(self, client_for, owner, issued_invoice):
        response = client_for(owner).get(f"/sales/documents/{issued_invoice.pk}/pdf/?download=1")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert response["Content-Disposition"] == f'attachment; filename="{issued_invoice.number}.pdf"'


# --- one-click from a deal, record pages, look-ups ----------------------------------------------


class TestAroundTheCrm:
    def _deal(self, owner, company):
        from tenant_apps.deals.services import deal_create

        return deal_create(actor=owner, data={"title": "Big deal", "amount": "1000", "company": company})

    def test_create_an_offer_from_a_deal(self, client_for, owner, company, vat):
        deal = self._deal(owner, company)
        client = client_for(owner)
        assert "Create offer" in text(client.get(f"/deals/{deal.pk}/"))
        response = client.post(f"/sales/deals/{deal.pk}/offer/")
        offer = Document.objects.get(kind="offer")
        assert response["Location"] == f"/sales/documents/{offer.pk}/edit/"
        assert offer.deal == deal and offer.company == company and offer.total == Decimal("1200.00")
        assert offer.number in text(client.get(f"/deals/{deal.pk}/")) or f"#{offer.pk}" in text(client.get(f"/deals/{deal.pk}/"))

    def test_record_pages_show_their_documents_in_one_query(self, client_for, owner, company, contact, vat):
        client = client_for(owner)
        client.get(f"/companies/{company.pk}/")  # sessions, hosts and settings read once and cached
        with CaptureQueriesContext(connection) as none_yet:
            client.get(f"/companies/{company.pk}/")
        for _i in range(7):
            invoice_issue(document=invoice_for(owner, company, vat, contact=contact), actor=owner)
        with CaptureQueriesContext(connection) as several:
            page = text(client.get(f"/companies/{company.pk}/"))
        assert len(several.captured_queries) == len(none_yet.captured_queries)
        assert documents_card(page).count("/sales/documents/") == 5 and "All documents" in page
        assert "INV-" in text(client.get(f"/contacts/{contact.pk}/"))
        listed = text(client.get(f"/sales/?company={company.pk}"))
        assert "Documents of Initech" in listed and listed.count("/sales/documents/") == 7
        timeline = text(client.get(f"/companies/{company.pk}/?tab=timeline"))
        assert "Invoice INV-" in timeline and " issued" in timeline

    def test_a_restricted_rep_sees_only_their_documents_on_a_company(self, restricted, client_for, owner, sales_rep,
                                                                       company, vat):
        from tenant_apps.companies.services import company_create

        rep_company = company_create(actor=sales_rep, data={"name": "Rep's customer"})
        theirs = document_create(actor=sales_rep, kind="offer", data={"company": rep_company}, lines=[])
        invoice_for(owner, rep_company, vat)  # the owner's, on the rep's company
        page = text(client_for(sales_rep).get(f"/companies/{rep_company.pk}/"))
        card = documents_card(page)
        assert card.count("/sales/documents/") == 1 and f"/sales/documents/{theirs.pk}/" in card

    def test_product_lookup_gives_the_price_in_the_documents_currency(self, client_for, read_only, vat):
        product = Product.objects.create(sku="LIC-1", name="Licence", unit="pcs")
        product.tax_rates.add(vat)
        ProductPrice.objects.create(product=product, currency="EUR", unit_price=Decimal("100"))
        ProductPrice.objects.create(product=product, currency="EUR", min_quantity=Decimal("10"), unit_price=Decimal("80"))
        archived = Product.objects.create(sku="OLD-1", name="Licence (old)", is_active=False)
        client = client_for(read_only)
        data = client.get("/sales/lookup/products/?q=lic&currency=eur").json()
        assert data["results"] == [{"id": product.pk, "sku": "LIC-1", "name": "Licence", "unit": "pcs",
                                    "unit_price": "100", "tax_rate_ids": [vat.pk], "billing": "one_off"}]
        assert client.get("/sales/lookup/products/?q=lic&currency=BGN").json()["results"][0]["unit_price"] is None
        tier = client.get(f"/sales/lookup/products/?id={product.pk}&currency=EUR&quantity=12").json()
        assert tier["unit_price"] == "80"
        assert client.get(f"/sales/lookup/products/?id={archived.pk}&currency=EUR").status_code == 404

    def test_contact_lookup(self, client_for, owner, contact):
        results = client_for(owner).get("/sales/lookup/contacts/?q=iva").json()["results"]
        assert results == [{"id": contact.pk, "label": "Ivan Petrov <ivan@initech.example>", "company": "Initech",
                            "company_id": contact.company_id}]


def test_a_new_line_left_as_it_came_is_not_a_line(client_for, owner, company, vat):
    """The editor's blank row (one unit, the default tax) posted untouched is skipped."""
    lines = [{"description": "Work", "quantity": "2", "unit_price": "10", "tax_rates": [str(vat.pk)]},
             {"description": "", "quantity": "1", "unit_price": "", "ORDER": "2", "tax_rates": [str(vat.pk)]}]
    response = client_for(owner).post("/sales/new/invoice/", with_taxes(editor_post(lines=lines), lines))
    assert response.status_code == 302
    assert [line.description for line in Document.objects.get().lines.all()] == ["Work"]


@pytest.mark.parametrize("url", [
    "/sales/?company=99999999999999999999999&owner=1e9&from=soon&page=x&q=%00",
    "/sales/new/offer/?contact=99999999999999999999999&deal=-1&company=%00",
    "/sales/lookup/products/?id=99999999999999999999999&currency=%00",
    "/sales/lookup/products/?q=%00licence",
    "/sales/lookup/contacts/?q=%00%00iv",
    "/sales/products/?q=%00&category=%00&active=maybe",
])
def test_odd_query_strings_are_not_errors(client_for, owner, url):
    assert client_for(owner).get(url).status_code in (200, 404)


def test_odd_hidden_fields_are_not_errors(client_for, owner, company):
    response = client_for(owner).post("/sales/new/invoice/", editor_post(
        company_name="Initech", company="99999999999999999999999", deal="99999999999999999999999",
        lines=[{"product": "99999999999999999999999", "description": "Work", "quantity": "1", "unit_price": "5"}]))
    assert response.status_code == 302
    assert Document.objects.get().company == company


@pytest.mark.django_db
def test_the_customer_field_finds_a_contact_by_address_in_any_case(in_acme):
    from tenant_apps.contacts.models import Contact
    from tenant_apps.sales.forms import contact_for_text

    nora = Contact.objects.create(first_name="Nora", last_name="Customer", email="nora@northwind.example")
    Contact.objects.create(first_name="Other", email="other@northwind.example")
    contacts = Contact.objects.all()
    assert contact_for_text(contacts, "Nora Customer <NORA@Northwind.example>") == nora
    assert contact_for_text(contacts, " Nora@NORTHWIND.example ") == nora
    assert contact_for_text(contacts, "nobody@northwind.example") is None
