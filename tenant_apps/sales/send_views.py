"""Sending an offer, invoice or credit note by e-mail: /sales/documents/<pk>/send/.

GET shows the form prefilled (the customer's address, the template's subject) with a
preview; POST "preview" shows the e-mail as it will go out; POST "send" sends it through
document_send (nothing is sent when anything is wrong, the errors are shown)."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from shared_apps.accounts.decorators import permission_required
from shared_apps.accounts.rules import can
from tenant_apps.records.errors import RecordPermissionError

from .emails import document_preview_email
from .errors import SalesError
from .models import Document, DocumentKind, DocumentStatus
from .send_forms import DocumentSendForm
from .services.sending import document_send, document_sendable, from_address

FORM_FIELDS = {"to", "cc", "subject", "message"}


def _document_or_404(request, pk) -> Document:
    document = Document.objects.select_related("contact", "company").filter(pk=pk).first()
    if document is None or not can(request.user, "sales.view_document", document):
        raise Http404(_("This document does not exist or you cannot see it."))
    if not can(request.user, "sales.change_document", document):
        raise PermissionDenied
    return document


def _default_to(document: Document) -> str:
    return (document.customer or {}).get("email") or (document.contact.email if document.contact else "") or (
        document.company.email if document.company else "")


def _preview(document: Document, message: str):
    """(subject, text) of the e-mail, or (None, error message) when the template is broken."""
    try:
        subject, _html, text = document_preview_email(document=document, message=message)
    except SalesError as exc:
        return None, exc.message
    return subject, text


@permission_required("sales.view_document")
def document_send_view(request, pk):
    document = _document_or_404(request, pk)
    back_url = reverse("sales_document_detail", args=[document.pk])
    can_issue = document.kind != DocumentKind.OFFER and document.status == DocumentStatus.DRAFT
    sendable = document_sendable(document)
    preview_error = ""
    if request.method == "POST":
        form = DocumentSendForm(request.POST, can_issue=can_issue)
        if form.is_valid() and "send" in request.POST and sendable:
            data = form.cleaned_data
            try:
                document_send(document=document, actor=request.user, to=data["to"], cc=data["cc"],
                              subject=data["subject"], message=data["message"], attach_pdf=data["attach_pdf"],
                              issue_draft=data.get("issue_draft", False), send_key=data["send_key"])
            except SalesError as exc:
                form.add_error(exc.field if exc.field in FORM_FIELDS else None, exc.message)
            except RecordPermissionError:
                raise PermissionDenied from None
            else:
                messages.success(request, _("The e-mail is on its way to %(to)s.") % {"to": data["to"]})
                return redirect(back_url)
        message = form.cleaned_data.get("message", "") if hasattr(form, "cleaned_data") else ""
        subject, preview = _preview(document, message)
    else:
        subject, preview = _preview(document, "")
        # A draft's subject would carry the number placeholder: it is left to the template,
        # which fills in the real number when the document is numbered on sending.
        form = DocumentSendForm(can_issue=can_issue, initial={
            "to": _default_to(document), "subject": "" if document.is_draft else subject or "", "attach_pdf": True,
            "send_key": uuid.uuid4().hex,
        })
    if subject is None:
        preview_error, preview = preview, ""
    elif document.is_draft:
        form.fields["subject"].widget.attrs["placeholder"] = subject
    return render(request, "sales/send_page.html", {
        "document": document,
        "form": form,
        "preview_subject": subject,
        "preview_text": preview,
        "preview_error": preview_error,
        "sender": from_address(),
        "reply_to": request.user.email,
        "sendable": sendable,
        "back_url": back_url,
        "numbered_on_send": document.kind == DocumentKind.OFFER and document.status == DocumentStatus.DRAFT,
    })
