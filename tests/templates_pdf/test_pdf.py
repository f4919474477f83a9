"""PDFs of documents: both layouts, the customer's language and formats, page numbers,
drafts, branding, the URL fetcher, and the cache."""

import io

import pytest
from pypdf import PdfReader

from tenant_apps.sales import pdf as pdf_module
from tenant_apps.sales.pdf import document_pdf
from tenant_apps.sales.services.documents import document_create, document_update, invoice_issue


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def profile(in_acme):
    from tenant_apps.workspace.models import WorkspaceProfile

    WorkspaceProfile.objects.update_or_create(singleton=True, defaults={
        "legal_name": "Acme Trading Ltd", "tax_id": "BG111222333", "address_line1": "1 Vitosha Blvd",
        "postal_code": "1000", "city": "Sofia", "email": "billing@acme.example",
    })
    from tenant_apps.sales.selectors import sales_settings

    row = sales_settings()
    row.bank_name, row.iban, row.bic = "First Bank", "BG80BNBG96611020345678", "BNBGBGSD"
    row.save()


def _invoice(owner, company, vat, *, language="en", lines=None, layout="", issue=True, currency="EUR"):
    lines = lines or [{"description": "Consulting", "quantity": "10", "unit_price": "123.45", "tax_rates": [vat.pk]}]
    document = document_create(actor=owner, kind="invoice", lines=lines, data={
        "company": company, "language": language, "currency": currency, "layout": layout,
    })
    return invoice_issue(document=document, actor=owner) if issue else document


@pytest.mark.parametrize("layout", ["classic", "modern"])
def test_an_english_invoice_holds_its_facts_in_english_formats(owner, company, vat, profile, layout):
    invoice = _invoice(owner, company, vat, layout=layout)
    text = _text(document_pdf(invoice))
    assert invoice.number in text
    assert "invoice" in text.lower()
    assert "Initech" in text and "BG123456789" in text
    assert "Acme Trading Ltd" in text and "BG111222333" in text
    assert "€1,234.50" in text  # 10 × 123.45 net
    assert "€1,481.40" in text  # + 20 % VAT
    assert "BG80BNBG96611020345678" in text
    assert "Page 1 of 1" in text or "Page 1 / 1" in text


@pytest.mark.parametrize("layout", ["classic", "modern"])
def test_a_bulgarian_invoice_is_in_bulgarian_with_bulgarian_formats(owner, company, vat, profile, layout):
    lines = [{"description": "Консултантски услуги", "quantity": "2", "unit_price": "617.28", "tax_rates": [vat.pk]}]
    invoice = _invoice(owner, company, vat, language="bg", lines=lines, layout=layout, currency="BGN")
    text = _text(document_pdf(invoice))
    assert "Консултантски услуги" in text
    assert "фактура" in text.lower()
    assert "1 234,56 лв." in text.replace("\xa0", " ")
    assert invoice.issue_date.strftime("%-d.%m.%Y") in text  # 5.03.2026 г.


def test_a_long_invoice_breaks_across_pages_with_headers_and_numbers(owner, company, vat, profile):
    lines = [{"description": f"Line item number {i}", "quantity": "1", "unit_price": "10", "tax_rates": [vat.pk]}
             for i in range(90)]
    data = document_pdf(_invoice(owner, company, vat, lines=lines))
    pages = _pages(data)
    assert pages >= 3
    reader = PdfReader(io.BytesIO(data))
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {pages}" in text
        assert "description" in text.lower() and "amount" in text.lower()  # the table header repeats
    assert "Line item number 89" in reader.pages[-1].extract_text()


def test_a_draft_is_marked_as_a_draft(owner, company, vat, profile):
    draft = _invoice(owner, company, vat, issue=False)
    assert "draft" in _text(document_pdf(draft)).lower()


def test_an_offer_shows_its_validity_and_a_credit_note_the_invoice_it_credits(owner, company, vat, profile):
    from tenant_apps.sales.services.documents import credit_note_create, offer_mark_sent

    offer = document_create(actor=owner, kind="offer", data={"company": company, "currency": "EUR"},
                            lines=[{"description": "Plan", "quantity": "1", "unit_price": "50"}])
    offer = offer_mark_sent(document=offer, actor=owner)
    text = _text(document_pdf(offer))
    assert "offer" in text.lower() and "Valid until" in text and offer.number in text
    invoice = _invoice(owner, company, vat)
    note = credit_note_create(invoice=invoice, actor=owner)
    note = invoice_issue(document=note, actor=owner) if note.is_draft else note
    text = _text(document_pdf(note))
    assert "credit note" in text.lower() and invoice.number in text


def test_the_second_render_comes_from_the_cache(owner, company, vat, profile, monkeypatch):
    invoice = _invoice(owner, company, vat)
    calls = []
    original = pdf_module.html_to_pdf
    monkeypatch.setattr(pdf_module, "html_to_pdf", lambda *a, **k: calls.append(1) or original(*a, **k))
    first = document_pdf(invoice)
    second = document_pdf(invoice)
    assert first == second
    assert len(calls) == 1


def test_a_draft_renders_again_after_it_changes(owner, company, vat, profile, monkeypatch):
    draft = _invoice(owner, company, vat, issue=False)
    calls = []
    original = pdf_module.html_to_pdf
    monkeypatch.setattr(pdf_module, "html_to_pdf", lambda *a, **k: calls.append(1) or original(*a, **k))
    document_pdf(draft)
    document_pdf(draft)
    draft = document_update(document=draft, actor=owner, data={"notes": "Please pay soon"})
    assert "Please pay soon" in _text(document_pdf(draft))
    assert len(calls) == 2


def test_the_cache_is_tenant_prefixed(owner, company, vat, profile):
    from django.core.files.storage import default_storage
    from django.db import connection

    invoice = _invoice(owner, company, vat)
    document_pdf(invoice)
    _dirs, files = default_storage.listdir(f"tenants/{connection.schema_name}/pdf")
    assert files and all(name.endswith(".pdf") for name in files)


def test_a_new_template_version_renders_again(owner, admin, company, vat, profile):
    from tenant_apps.templates.catalogue import TemplateKey
    from tenant_apps.templates.defaults import default_content
    from tenant_apps.templates.services import template_save

    invoice = _invoice(owner, company, vat)
    document_pdf(invoice)
    html = default_content("document", "classic").html.replace("{{ labels.bill_to }}", "Customer of ours")
    template_save(key=TemplateKey("document", "classic"), html=html, css="", actor=admin)
    assert "Customer of ours" in _text(document_pdf(invoice))


def test_the_logo_is_embedded_and_nothing_else_is_fetched(owner, admin, company, vat, profile, monkeypatch):
    from themes.services import branding_update
    from tenant_apps.templates.catalogue import TemplateKey
    from tenant_apps.templates.services import template_save

    png = _png()
    branding_update(primary_colour="#112233", accent_colour="#445566", actor=admin, logo=png)
    fetched = []
    original = pdf_module._fetcher

    def spy(logo):
        fetcher = original(logo)
        real = fetcher.fetch

        def fetch(url, headers=None):
            fetched.append(url)
            return real(url, headers)

        fetcher.fetch = fetch
        return fetcher

    monkeypatch.setattr(pdf_module, "_fetcher", spy)
    html = ('<html><body><img src="{{ branding.logo }}"><img src="file:///etc/passwd">'
            '<img src="http://127.0.0.1:9/x.png"><p>{{ document.number }}</p></body></html>')
    template_save(key=TemplateKey("document", "classic"), html=html, css="@import url('http://127.0.0.1:9/a.css');",
                  actor=admin)
    data = document_pdf(_invoice(owner, company, vat))
    assert [url for url in fetched if url.startswith("tessera-logo:")]
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages[0].images) == 1  # the logo, and only the logo


def test_the_fetcher_refuses_files_and_the_network():
    fetcher = pdf_module._fetcher(None)
    for url in ("file:///etc/passwd", "http://127.0.0.1/", "https://example.com/x.png", "ftp://example.com/"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"


def test_the_pdf_of_a_broken_template_is_a_template_error(owner, company, vat, profile):
    from tenant_apps.templates.errors import TemplateError
    from tenant_apps.templates.models import Template, TemplateVersion

    template = Template.objects.create(kind="document", name="classic")
    TemplateVersion.objects.create(template=template, number=1, html="<p>{{ document.nope }}</p>")
    with pytest.raises(TemplateError):
        document_pdf(_invoice(owner, company, vat))


def test_the_context_is_plain_data_in_the_documents_language(owner, company, vat, profile):
    from tenant_apps.templates.sandbox import check_plain

    invoice = _invoice(owner, company, vat, language="bg", currency="BGN")
    context = pdf_module.document_context(invoice)
    check_plain(context)
    assert context["labels"]["total"] == "Общо"
    assert context["document"]["total"].replace("\xa0", " ") == "1 481,40 лв."
    assert context["lines"][0]["quantity"] == "10"
    assert context["document"]["tax_breakdown"][0]["rate"].replace("\xa0", " ") == "20 %"


def test_a_document_without_a_layout_uses_the_workspace_default(owner, company, vat, profile):
    from tenant_apps.sales.selectors import sales_settings

    row = sales_settings()
    row.default_layout = "modern"
    row.save()
    invoice = _invoice(owner, company, vat)
    assert pdf_module.document_layout(invoice) == "modern"
    invoice.layout = "classic"
    assert pdf_module.document_layout(invoice) == "classic"
    invoice.layout = "no-such-layout"
    assert pdf_module.document_layout(invoice) == "modern"


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("layout", ["classic", "modern"])
def test_a_credited_invoice_shows_credited_not_paid(owner, company, vat, profile, layout):
    from tenant_apps.sales.services.documents import credit_note_create

    # given an invoice of 100 + VAT, 40 of it credited by a credit note and nothing paid
    invoice = _invoice(owner, company, vat, layout=layout,
                       lines=[{"description": "Consulting", "quantity": "1", "unit_price": "100", "tax_rates": [vat.pk]}])
    note = credit_note_create(invoice=invoice, actor=owner,
                              lines=[{"description": "Goodwill", "quantity": "1", "unit_price": "40"}])
    invoice_issue(document=note, actor=owner)
    invoice.refresh_from_db()
    assert invoice.amount_credited > 0 and invoice.amount_paid == 0
    # when its PDF is made
    context = pdf_module.document_context(invoice)
    text = _text(document_pdf(invoice))
    # then the credit is on its own line, nothing reads as paid, and the balance is what is owed
    assert not context["document"]["has_payments"] and context["document"]["has_credits"]
    assert "Credited" in text and "Paid" not in text
    assert context["document"]["balance"].replace("\xa0", " ") in text.replace("\xa0", " ")
