"""The e-mail of an offer, invoice, credit note or payment reminder: the context its
template sees (values already formatted in the document's language) and the rendering.

The templates themselves are the workspace's (tenant_apps.templates, sandboxed); a broken
one raises SalesError("template_broken") so that nothing is sent."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tenant_apps.templates.errors import TemplateError
from tenant_apps.templates.rendering import render_email

from .errors import SalesError
from .locale_formats import day, money
from .models import Document, DocumentKind
from .selectors import sales_settings

PURPOSES = {DocumentKind.OFFER: "offer", DocumentKind.INVOICE: "invoice", DocumentKind.CREDIT_NOTE: "credit_note"}


def sender_name() -> str:
    """Who offers and invoices come from: the sales settings' sender name, else the workspace's."""
    return sales_settings().email_sender_name.strip() or getattr(connection.tenant, "name", "")


def document_email_context(*, document: Document, message: str = "", days_overdue: int | None = None,
                           pdf_attached: bool = True) -> dict:
    """What an e-mail template may use (see tenant_apps.templates: the same names in the defaults)."""
    language = document.language
    customer, seller = document.customer or {}, document.seller or {}
    return {
        "document": {
            "number": document.number,
            "kind": document.kind,
            "total": money(document.total, document.currency, language),
            "balance": money(document.balance, document.currency, language),
            "currency": document.currency,
            "issue_date": day(document.issue_date, language),
            "due_date": day(document.due_date, language),
            "valid_until": day(document.valid_until, language),
        },
        "customer": {
            "name": customer.get("name", ""),
            "contact_name": customer.get("contact_name", ""),
            "email": customer.get("email", ""),
        },
        "seller": {key: seller.get(key, "") or "" for key in ("name", "email", "phone", "website")},
        "sender_name": sender_name(),
        "message": message or "",
        "days_overdue": days_overdue,
        "pdf_attached": pdf_attached,
    }


def document_email(*, document: Document, purpose: str | None = None, message: str = "",
                   days_overdue: int | None = None, pdf_attached: bool = True) -> tuple[str, str, str]:
    """(subject, html, text) of the e-mail about `document`, in its language.
    `purpose` is the document's kind unless given ("reminder")."""
    context = document_email_context(document=document, message=message, days_overdue=days_overdue,
                                     pdf_attached=pdf_attached)
    try:
        with translation.override(document.language):
            return render_email(purpose=purpose or PURPOSES[document.kind], language=document.language,
                                context=context)
    except TemplateError as exc:
        raise SalesError("template_broken", detail=getattr(exc, "message", None) or str(exc)) from exc


def document_preview_email(*, document: Document, message: str = "") -> tuple[str, str, str]:
    """The e-mail `document_send` would write now. A draft has no number or customer
    snapshot yet: they are filled in memory (the number with a placeholder), nothing is saved."""
    if document.is_draft:
        from copy import copy

        from .services.documents import _snapshot_customer, _snapshot_seller

        document = copy(document)
        with translation.override(document.language):
            document.number = str(_("(numbered when sent)"))
        document.customer = _snapshot_customer(document)
        document.seller = _snapshot_seller()
        today = timezone.localdate()
        document.issue_date = document.issue_date or today
        if document.kind == DocumentKind.INVOICE and document.due_date is None:
            terms = document.payment_terms_days
            document.due_date = today + timedelta(days=sales_settings().payment_terms_days if terms is None else terms)
        if document.kind == DocumentKind.OFFER and document.valid_until is None:
            document.valid_until = today + timedelta(days=sales_settings().offer_validity_days)
    return document_email(document=document, message=message)
