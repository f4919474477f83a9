"""A document as PDF (WeasyPrint), in the customer's language.

`document_pdf(document)` is the one entry point: sending, downloads and bulk exports all
call it."""

from django.template.loader import render_to_string
from django.utils import translation

from .models import Document


def document_pdf_filename(document: Document) -> str:
    return f"{document.number or f'draft-{document.pk}'}.pdf".replace("/", "-")


def document_pdf(document: Document) -> bytes:
    """The PDF of a document (drafts included, marked as such)."""
    from weasyprint import HTML

    lines = list(document.lines.all())
    with translation.override(document.language):
        html = render_to_string("sales/pdf/document.html", {"document": document, "lines": lines})
    return HTML(string=html).write_pdf()
