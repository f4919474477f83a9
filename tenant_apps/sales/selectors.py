"""Reads of sales documents and their settings."""

from django.db.models import Prefetch

from .models import Document, DocumentLine, SalesSettings


def sales_settings() -> SalesSettings:
    """The workspace's sales settings row (created with defaults on first use)."""
    settings_row, _created = SalesSettings.objects.get_or_create(pk=1)
    return settings_row


def document_with_lines(pk) -> Document:
    return (
        Document.objects.select_related("company", "contact", "deal", "source_offer", "credited_document")
        .prefetch_related(Prefetch("lines", queryset=DocumentLine.objects.select_related("product")))
        .get(pk=pk)
    )
