"""The PDF carries the number, the customer, the totals and Cyrillic text."""

import io

from pypdf import PdfReader

from tenant_apps.sales.pdf import document_pdf, document_pdf_filename
from tenant_apps.sales.services.documents import document_create, invoice_issue


def test_an_invoice_pdf_in_bulgarian_holds_its_facts(owner, company, vat):
    # given
    invoice = document_create(actor=owner, kind="invoice", data={"company": company, "language": "bg"},
                              lines=[{"description": "Консултантски услуги", "quantity": "3", "unit_price": "100",
                                      "tax_rates": [vat]}])
    invoice = invoice_issue(document=invoice, actor=owner)
    # when
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(document_pdf(invoice))).pages)
    # then
    assert invoice.number in text
    assert "Initech" in text
    assert "Консултантски услуги" in text
    assert "360" in text  # 300 + 20 % VAT
    assert document_pdf_filename(invoice) == f"{invoice.number}.pdf"
