"""A document as PDF: the workspace's document template, rendered in the sandbox, then WeasyPrint.

`document_pdf(document)` is the one entry point: downloads, sending and bulk exports all
call it. The steps:

1. `document_context()` turns the document into plain data in the customer's language
   (numbers, money and dates formatted with Babel, headings translated): the template
   never sees a model instance.
2. The workspace's template of the document's layout (its newest version, or the built-in
   default) is rendered in the sandbox (tenant_apps.templates).
3. WeasyPrint turns the HTML into a PDF with a URL fetcher that serves only data: URLs and
   the workspace's own logo: a template cannot make the server fetch anything else.

PDFs are cached by content hash in tenant-prefixed storage (tenants/<schema>/pdf/<hash>.pdf):
the hash covers the template's content, the context (so every change to a draft, the
branding or the logo gives a new hash) and RENDERER_VERSION. An issued invoice therefore
renders once; a draft re-renders after each change. Storage rather than Redis: PDFs are
large, must survive a Redis flush, and the sweep (tenant_apps.templates.exports) removes
cached files nobody asked for in PDF_CACHE_DAYS."""

import gc
import hashlib
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _, pgettext

from tenant_apps.templates.catalogue import DOCUMENT_LAYOUTS
from tenant_apps.templates.defaults import Content
from tenant_apps.templates.models import TemplateKind
from tenant_apps.templates.rendering import render_document_html
from tenant_apps.templates.selectors import template_content

from . import locale_formats as fmt
from .models import Document, DocumentKind, DocumentLine

# Bump when the context's shape or the rendering changes: every cached PDF is then stale.
RENDERER_VERSION = "1"
LOGO_URL_PREFIX = "tessera-logo:"
PDF_CACHE_DAYS = 30


def document_pdf_filename(document: Document) -> str:
    return f"{document.number or f'draft-{document.pk}'}.pdf".replace("/", "-")


def document_layout(document: Document) -> str:
    """The document's own layout, else the workspace default, else "classic"."""
    from .selectors import sales_settings

    layouts = dict(DOCUMENT_LAYOUTS)
    for layout in (document.layout, sales_settings().default_layout):
        if layout in layouts:
            return layout
    return "classic"


def document_pdf(document: Document) -> bytes:
    """The PDF of a document (drafts included, marked as such), from the cache when unchanged.
    Raises tenant_apps.templates.errors.TemplateError when the workspace's template fails."""
    layout = document_layout(document)
    content = template_content(kind=TemplateKind.DOCUMENT, name=layout)
    logo = _logo()
    context = document_context(document, logo_url=logo[0] if logo else "")
    html = render_document_html(content, context=context)
    key = pdf_cache_key(layout=layout, content=content, html=html)
    cached = _cache_read(key)
    if cached is not None:
        return cached
    pdf = html_to_pdf(html, css=content.css, logo=logo)
    _cache_write(key, pdf)
    return pdf


def pdf_cache_key(*, layout: str, content: Content, html: str) -> str:
    """The content hash: the rendered HTML holds the whole context (numbers, names, the
    logo's hash in its URL), the CSS and layout the look, RENDERER_VERSION the code."""
    digest = hashlib.sha256()
    for part in (RENDERER_VERSION, layout, content.css, html):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def pdf_cache_path(key: str) -> str:
    return f"tenants/{connection.schema_name}/pdf/{key}.pdf"


def _cache_read(key: str) -> bytes | None:
    path = pdf_cache_path(key)
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as handle:
        return handle.read()


def _cache_write(key: str, pdf: bytes) -> None:
    path = pdf_cache_path(key)
    saved = default_storage.save(path, ContentFile(pdf))
    if saved != path:  # another process rendered the same PDF meanwhile; keep one copy
        default_storage.delete(saved)
    _sweep_schedule()


CACHE_SWEEP_JOB = "pdf_cache_sweep"


def _sweep_schedule() -> None:
    """Make sure this workspace's cache sweep is scheduled (once; it reschedules itself)."""
    from tenants.models import ScheduledJob
    from tenants.scheduling import job_schedule

    tenant = getattr(connection, "tenant", None)
    if tenant is None or not getattr(tenant, "pk", None):
        return
    if not ScheduledJob.objects.filter(tenant_id=tenant.pk, kind=CACHE_SWEEP_JOB).exists():
        job_schedule(kind=CACHE_SWEEP_JOB, object_id=0, due_at=timezone.now() + timedelta(days=1))


def pdf_cache_sweep(*, now=None) -> int:
    """Delete cached PDFs older than PDF_CACHE_DAYS (they render again when asked for).
    Returns how many were deleted; reschedules itself while the cache holds files."""
    from tenants.scheduling import job_done, job_schedule

    now = now or timezone.now()
    folder = f"tenants/{connection.schema_name}/pdf"
    deleted, left = 0, 0
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        files = []
    for name in files:
        path = f"{folder}/{name}"
        if default_storage.get_modified_time(path) < now - timedelta(days=PDF_CACHE_DAYS):
            default_storage.delete(path)
            deleted += 1
        else:
            left += 1
    if left:
        job_schedule(kind=CACHE_SWEEP_JOB, object_id=0, due_at=now + timedelta(days=1))
    else:
        job_done(kind=CACHE_SWEEP_JOB, object_ids=[0])
    return deleted


def html_to_pdf(html: str, *, css: str = "", logo: tuple[str, bytes, str] | None = None) -> bytes:
    """WeasyPrint, fetching nothing but data: URLs and the workspace's logo."""
    from weasyprint import CSS, HTML

    fetcher = _fetcher(logo)
    stylesheets = [CSS(string=css, url_fetcher=fetcher)] if css.strip() else []
    # WeasyPrint makes a great many small objects; with the cyclic collector walking a
    # web process's heap meanwhile, a 20-page invoice took half again as long. Its boxes
    # are freed by reference counting; the collector runs again right after.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf(stylesheets=stylesheets)
    finally:
        if gc_was_enabled:
            gc.enable()


def _fetcher(logo: tuple[str, bytes, str] | None):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class TenantURLFetcher(URLFetcher):
        """Refuses every URL but data: and this workspace's logo (no file:, no http:)."""

        def fetch(self, url, headers=None):
            if logo is not None and url == logo[0]:
                return URLFetcherResponse(url, body=logo[1], headers={"Content-Type": logo[2]})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError("only data: URLs and the workspace's logo are fetched")

    return TenantURLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


def _logo() -> tuple[str, bytes, str] | None:
    """(url, bytes, content type) of the workspace's logo; the URL carries its hash, so a
    new logo gives a new cache key."""
    from themes.models import Branding

    row = Branding.objects.first()
    if row is None or not row.logo or not row.logo_hash:
        return None
    try:
        with row.logo.open("rb") as handle:
            data = handle.read()
    except OSError:  # the file went missing: render without it rather than fail
        return None
    return f"{LOGO_URL_PREFIX}{row.logo_hash}", data, row.logo_content_type or "image/png"


# --- the context --------------------------------------------------------------------


def _labels(document: Document) -> dict:
    return {
        "bill_to": _("Bill to") if document.kind != DocumentKind.OFFER else _("Prepared for"),
        "from": _("From"),
        "date": _("Date"),
        "due_date": _("Due date"),
        "valid_until": _("Valid until"),
        "credits": _("Credits invoice"),
        "currency": _("Currency"),
        "description": _("Description"),
        "quantity": _("Qty"),
        "unit_price": _("Unit price"),
        "discount": _("Discount"),
        "tax": _("Tax"),
        "amount": _("Amount"),
        "subtotal": _("Subtotal"),
        "net_total": _("Net total"),
        "of_amount": pgettext("tax base", "on"),
        "total": _("Total"),
        "amount_paid": _("Paid"),
        "amount_credited": _("Credited"),
        "balance_due": _("Balance due"),
        "notes": _("Notes"),
        "terms": _("Terms"),
        "payment_details": _("Payment details"),
        "bank": _("Bank"),
        "payment_reference": _("Payment reference"),
        "tax_id": _("Tax ID"),
        "prices_include_tax": _("Prices include tax."),
        "page": _("Page"),
        "of": pgettext("page 1 of 3", "of"),
        "draft": _("Draft"),
    }


def _address_lines(party: dict) -> list[str]:
    city = " ".join(p for p in (party.get("postal_code", ""), party.get("city", "")) if p)
    return [line for line in (party.get("address_line1", ""), party.get("address_line2", ""), city,
                              party.get("country", "")) if line]


def _parties(document: Document) -> tuple[dict, dict]:
    """Who sold to whom: the frozen snapshots of a numbered document, today's data for a draft."""
    if document.is_draft or not document.seller:
        # The services' own snapshot functions, so a draft shows what issuing will freeze.
        from .services.documents import _snapshot_customer, _snapshot_seller

        seller = _snapshot_seller()
        customer = _snapshot_customer(document) if (document.company_id or document.contact_id) else document.customer
        return seller, customer or {}
    return document.seller, document.customer


def _text(value) -> str:
    return "" if value is None else str(value)


def document_context(document: Document, *, lines: list[DocumentLine] | None = None, logo_url: str = "",
                     parties: tuple[dict, dict] | None = None) -> dict:
    """The plain data a document template gets, in the document's language."""
    from themes.selectors import branding_get

    language = document.language or "en"
    currency = document.currency
    lines = list(document.lines.all()) if lines is None else lines
    seller, customer = parties or _parties(document)

    def money(value):
        return fmt.money(value, currency, language)

    def percent(value):
        return f"{fmt.number(value, language)} %" if value else ""

    with translation.override(language):
        labels = _labels(document)
        title = str(DocumentKind(document.kind).label)
        status_label = str(document.get_status_display())
    invoice_like = document.kind == DocumentKind.INVOICE
    branding = branding_get()
    credited = document.credited_document.number if document.credited_document_id else ""
    return {
        "document": {
            "kind": document.kind,
            "title": title,
            "number": document.number,
            "is_draft": document.is_draft,
            "status": document.status,
            "status_label": status_label,
            "language": language,
            "currency": currency,
            "issue_date": fmt.day(document.issue_date, language),
            "due_date": fmt.day(document.due_date, language) if document.kind != DocumentKind.OFFER else "",
            "valid_until": fmt.day(document.valid_until, language) if document.kind == DocumentKind.OFFER else "",
            "prices_include_tax": document.prices_include_tax,
            "subtotal": money(document.subtotal),
            "discount_percent": percent(document.discount_percent),
            "discount_total": money(document.discount_total),
            "net_total": money(document.net_total),
            "tax_total": money(document.tax_total),
            "total": money(document.total),
            # Paid is money received; what credit notes took off is its own line, so a
            # credited invoice never reads as paid.
            "amount_paid": money(document.amount_paid),
            "has_payments": bool(document.amount_paid),
            "amount_credited": money(document.amount_credited),
            "has_credits": bool(document.amount_credited),
            "balance": money(document.balance),
            "show_balance": invoice_like and not document.is_draft and bool(document.amount_paid or document.amount_credited),
            "tax_breakdown": [
                {"name": _text(t.get("name")), "rate": percent(Decimal(t["rate"])), "base": money(Decimal(t["base"])),
                 "amount": money(Decimal(t["amount"]))}
                for t in document.tax_breakdown
            ],
            "notes": document.notes,
            "terms": document.terms,
            "credits_number": credited,
        },
        "lines": [
            {
                "position": index,
                "sku": line.sku,
                "description": line.description,
                "quantity": fmt.number(line.quantity, language),
                "unit": line.unit,
                "unit_price": money(line.unit_price),
                "discount_percent": percent(line.discount_percent),
                "amount": money(line.amount),
                "taxes": ", ".join(percent(Decimal(str(t["rate"]))) for t in line.taxes),
            }
            for index, line in enumerate(lines, start=1)
        ],
        "seller": {
            "name": _text(seller.get("name")),
            "legal_name": _text(seller.get("legal_name")),
            "tax_id": _text(seller.get("tax_id")),
            "email": _text(seller.get("email")),
            "phone": _text(seller.get("phone")),
            "website": _text(seller.get("website")),
            "address_lines": _address_lines(seller),
        },
        "customer": {
            "name": _text(customer.get("name")),
            "contact_name": _text(customer.get("contact_name")),
            "tax_id": _text(customer.get("tax_id")),
            "email": _text(customer.get("email")),
            "address_lines": _address_lines(customer),
        },
        "bank": {"name": _text(seller.get("bank_name")), "iban": _text(seller.get("iban")), "bic": _text(seller.get("bic"))},
        "branding": {"logo": logo_url, "primary_colour": branding["primary"], "accent_colour": branding["accent"]},
        "labels": labels,
    }


# --- sample data (template previews and the check before a template is saved) -----------

_SAMPLE_PARTIES = {
    "en": (
        {"name": "Acme Ltd", "legal_name": "Acme Ltd", "tax_id": "GB123456789", "email": "billing@acme.example",
         "phone": "+44 20 7946 0000", "website": "https://acme.example", "address_line1": "1 High Street",
         "postal_code": "EC1A 1BB", "city": "London", "country": "United Kingdom", "bank_name": "Example Bank",
         "iban": "GB33BUKB20201555555555", "bic": "BUKBGB22"},
        {"name": "Initech Ltd", "contact_name": "Jane Smith", "tax_id": "GB987654321", "email": "jane@initech.example",
         "address_line1": "42 Market Road", "postal_code": "M1 1AE", "city": "Manchester", "country": "United Kingdom"},
    ),
    "bg": (
        {"name": "Акме ЕООД", "legal_name": "Акме ЕООД", "tax_id": "BG123456789", "email": "billing@acme.example",
         "phone": "+359 2 123 4567", "website": "https://acme.example", "address_line1": "бул. „Витоша“ 1",
         "postal_code": "1000", "city": "София", "country": "България", "bank_name": "Примерна банка АД",
         "iban": "BG80BNBG96611020345678", "bic": "BNBGBGSD"},
        {"name": "Инитех ООД", "contact_name": "Иван Петров", "tax_id": "BG987654321", "email": "ivan@initech.example",
         "address_line1": "ул. „Шипка“ 12", "postal_code": "4000", "city": "Пловдив", "country": "България"},
    ),
}
_SAMPLE_LINES = {
    "en": [("Consulting", "h", "12", "95.50", "0"), ("Software licence (yearly)", "pcs", "3", "420.00", "10"),
           ("On-site training\nTwo days, up to 10 people", "day", "2", "800.00", "0"),
           ("Support package", "month", "12", "49.90", "5")],
    "bg": [("Консултации", "ч", "12", "95.50", "0"), ("Лиценз за софтуер (годишен)", "бр.", "3", "420.00", "10"),
           ("Обучение на място\nДва дни, до 10 души", "ден", "2", "800.00", "0"),
           ("Пакет поддръжка", "месец", "12", "49.90", "5")],
}


def document_sample(kind: str = DocumentKind.INVOICE, language: str = "en", *, line_count: int = 4,
                    bare: bool = False):
    """An unsaved document with lines and totals, like a real one (nothing is written).
    `bare`: the sparse edge of real documents (one untaxed line, no discount, notes or terms,
    a customer with a name only), which a template must survive as well."""
    from datetime import date, timedelta

    from .services.documents import _apply_totals

    language = language if language in _SAMPLE_PARTIES else "en"
    seller, customer = _SAMPLE_PARTIES[language]
    currency = "EUR" if language == "en" else "BGN"
    today = date(2026, 3, 5)
    with translation.override(language):
        notes, terms = _("Thank you for your business."), _("Payment within 14 days of the invoice date.")
    document = Document(
        kind=kind, number={"offer": "OFF-2026-0007", "invoice": "INV-2026-0042", "credit_note": "CN-2026-0003"}[kind],
        status="sent" if kind == DocumentKind.OFFER else "issued", currency=currency, language=language,
        issue_date=today, due_date=today + timedelta(days=14) if kind != DocumentKind.OFFER else None,
        valid_until=today + timedelta(days=30) if kind == DocumentKind.OFFER else None,
        discount_percent=Decimal("5"), notes=notes, terms=terms, seller=seller, customer=customer,
    )
    if bare:
        line_count = 1
        document.discount_percent, document.notes, document.terms = Decimal("0"), "", ""
        document.customer = {"name": customer.get("name", "")}
    base = _SAMPLE_LINES[language]
    lines = []
    for index in range(line_count):
        description, unit, quantity, price, discount = base[index % len(base)]
        lines.append(DocumentLine(
            position=index, description=description, unit=unit, quantity=Decimal(quantity),
            unit_price=Decimal(price), discount_percent=Decimal(discount),
            taxes=[] if bare else [{"name": "VAT" if language == "en" else "ДДС", "rate": "20"}],
        ))
    _apply_totals(document, lines)
    return document, lines


def document_sample_context(kind: str = DocumentKind.INVOICE, language: str = "en", *, line_count: int = 4,
                            bare: bool = False) -> dict:
    document, lines = document_sample(kind, language, line_count=line_count, bare=bare)
    return document_context(document, lines=lines, parties=(document.seller, document.customer))
