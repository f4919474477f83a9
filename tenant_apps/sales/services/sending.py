"""E-mailing offers, invoices and credit notes with their PDF.

The message is written to the outbox in the same transaction as everything the send
changes (an offer's number and 'sent' status, an invoice issued on the way, the timeline
entry), so a failure anywhere sends nothing and consumes no number, and a committed send is
delivered exactly once by the outbox. It goes out from the workspace's sender name with the
platform's address (so the platform's domain authenticates it: SPF, DKIM), with replies
going to the person who sent it.

Draft invoices and credit notes are never sent as drafts: the caller either issues them
first or asks for `issue_draft=True`, which issues and sends in one step. A draft offer is
numbered and marked sent by its first send."""

import logging
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction

from tenant_apps.records.history import history_context

from tenant_apps.templates.errors import TemplateError

from ..emails import document_email, sender_name
from ..errors import SalesError
from ..models import Document, DocumentKind, DocumentStatus
from ..pdf import document_pdf, document_pdf_filename
from .documents import _event, _require, invoice_issue, invoice_mark_sent, offer_mark_sent

logger = logging.getLogger(__name__)
S = DocumentStatus
MAX_RECIPIENTS = 20
MAX_MESSAGE = 10_000
SEND_KEY_SECONDS = 24 * 3600


def addresses_clean(values, *, field: str) -> list[str]:
    """E-mail addresses from a list (or a comma/semicolon/newline separated string),
    validated, de-duplicated in order."""
    if isinstance(values, str):
        values = values.replace(";", ",").replace("\n", ",").split(",")
    cleaned = []
    for value in values or ():
        address = str(value).strip()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            raise SalesError("email_invalid", field=field, address=address[:80]) from None
        if address.lower() not in {a.lower() for a in cleaned}:
            cleaned.append(address)
    return cleaned


def from_address() -> str:
    """The workspace's sender name with the platform's address."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((sender_name(), address))


def document_message(*, document: Document, to: list[str], cc: list[str], subject: str, html: str, text: str,
                     reply_to: list[str], attach_pdf: bool) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200], body=text, from_email=from_address(), to=to, cc=cc,
        reply_to=[a for a in reply_to if a], headers={"Content-Language": document.language},
    )
    message.attach_alternative(html, "text/html")
    if attach_pdf:
        message.attach(document_pdf_filename(document), _pdf_or_refusal(document), "application/pdf")
    return message


def _pdf_or_refusal(document: Document) -> bytes:
    """The document's PDF; a workspace template that fails on this document (it passed its
    save check on the samples, but real documents differ) is a clear refusal, never a 500."""
    try:
        return document_pdf(document)
    except TemplateError as exc:
        raise SalesError("pdf_template_broken", detail=exc.message) from exc
    except SalesError:
        raise
    except Exception as exc:  # WeasyPrint on HTML the template produced: same cause, same answer
        logger.warning("PDF of document %s could not be made: %r", document.pk, exc)
        raise SalesError("pdf_template_broken", detail=exc.__class__.__name__) from exc


# An offer the customer can no longer accept (declined, expired, converted) is not e-mailed
# again: the customer would try to accept it. An accepted one may go out as a copy.
OFFER_SENDABLE = frozenset({S.DRAFT, S.SENT, S.ACCEPTED})


def document_sendable(document: Document) -> bool:
    """Whether `document` may be e-mailed in its current status (the Send button's flag)."""
    if document.kind == DocumentKind.OFFER:
        return document.status in OFFER_SENDABLE
    return document.status != S.VOID


def _ready_to_send(document: Document, actor, issue_draft: bool, door: str) -> Document:
    """The document numbered and out of draft (issued or marked sent on the way if allowed)."""
    if not document_sendable(document):
        raise SalesError("wrong_status")
    if document.kind == DocumentKind.OFFER:
        if document.status == S.DRAFT:
            return offer_mark_sent(document=document, actor=actor, door=door)
        return document
    if document.status == S.DRAFT:
        if not issue_draft:
            raise SalesError("issue_before_sending")
        return invoice_issue(document=document, actor=actor, door=door)
    return document


def document_send(*, document: Document, actor, to, cc=(), subject: str = "", message: str = "",
                  attach_pdf: bool = True, issue_draft: bool = False, send_key: str = "",
                  door: str = "ui") -> Document:
    """E-mail `document` (with its PDF) to `to` and `cc`; all or nothing, at most once per
    `send_key` (the send form's one-time key, so a double click sends one e-mail).
    An empty subject takes the template's. Returns the document as sent."""
    _require(actor, "sales.change_document", document)
    to = addresses_clean(to, field="to")
    cc = [a for a in addresses_clean(cc, field="cc") if a.lower() not in {t.lower() for t in to}]
    if not to:
        raise SalesError("recipients_required", field="to")
    if len(to) + len(cc) > MAX_RECIPIENTS:
        raise SalesError("too_many_recipients", field="to", limit=MAX_RECIPIENTS)
    subject = " ".join((subject or "").split())
    if len(subject) > 200:
        raise SalesError("subject_invalid", field="subject")
    message = (message or "").strip()
    if len(message) > MAX_MESSAGE:
        raise SalesError("message_too_long", field="message")
    key = f"sales-send:{send_key}" if send_key else ""
    if key and not cache.add(key, 1, SEND_KEY_SECONDS):
        raise SalesError("already_sent")
    try:
        with transaction.atomic(), history_context(actor, door):
            document = Document.objects.select_for_update().get(pk=document.pk)
            document = _ready_to_send(document, actor, issue_draft, door)
            template_subject, html, text = document_email(document=document, message=message, pdf_attached=attach_pdf)
            email = document_message(document=document, to=to, cc=cc, subject=subject or template_subject, html=html,
                                     text=text, reply_to=[actor.email], attach_pdf=attach_pdf)
            email.send()
            invoice_mark_sent(document=document, actor=actor)
            _event(document, f"{document.kind}_emailed", actor, to=to, cc=cc, subject=email.subject,
                   pdf_attached=attach_pdf)
    except BaseException:
        if key:
            cache.delete(key)  # nothing was sent: the same form may be sent again
        raise
    return document
