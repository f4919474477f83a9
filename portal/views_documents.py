"""The customer's offers, invoices, credit notes and payments in the portal; answering an offer.

Thin: portal.customer_selectors decides what the customer may see (their company's issued documents),
portal.customer_services what they may do. Anything outside their scope is a 404, as if it did not exist.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST

from shared_apps.audit.services import client_ip
from tenant_apps.records.errors import RecordError
from tenant_apps.sales.errors import SalesError
from tenant_apps.sales.models import Document, DocumentKind
from tenant_apps.sales.pdf import document_pdf, document_pdf_filename
from tenant_apps.sales.selectors import document_with_lines
from tenant_apps.templates.errors import TemplateError

from .access import portal_login_required
from .forms import OfferAnswerForm
from .customer_selectors import (
    portal_document_get, portal_document_page, portal_document_payments, portal_documents, portal_payment_page,
)
from .customer_services import portal_offer_decide

DETAIL_URL = {
    DocumentKind.OFFER: "portal_offer_detail",
    DocumentKind.INVOICE: "portal_invoice_detail",
    DocumentKind.CREDIT_NOTE: "portal_credit_note_detail",
}


def _list(request, kind):
    page = portal_document_page(access=request.portal_access, kind=kind, page_number=request.GET.get("page"))
    return render(request, "portal/document_list.html", {"page": page, "kind": kind, "detail_url": DETAIL_URL[kind]})


@portal_login_required
def offer_list(request):
    return _list(request, DocumentKind.OFFER)


@portal_login_required
def invoice_list(request):
    return _list(request, DocumentKind.INVOICE)


@portal_login_required
def credit_note_list(request):
    return _list(request, DocumentKind.CREDIT_NOTE)


def _get(request, pk, kind) -> Document:
    try:
        return portal_document_get(access=request.portal_access, pk=pk, kind=kind)
    except Document.DoesNotExist:
        raise Http404 from None


def _detail(request, document, *, form=None, status=200):
    if document.kind == DocumentKind.OFFER and form is None:
        form = OfferAnswerForm()
    return render(request, f"portal/{document.kind}_detail.html", {
        "document": document,
        "lines": list(document.lines.all()),
        "payments": portal_document_payments(document=document),
        "answer_form": form,
        "can_answer": document.kind == DocumentKind.OFFER and document.status == "sent",
    }, status=status)


@portal_login_required
def offer_detail(request, pk):
    return _detail(request, _get(request, pk, DocumentKind.OFFER))


@portal_login_required
def invoice_detail(request, pk):
    return _detail(request, _get(request, pk, DocumentKind.INVOICE))


@portal_login_required
def credit_note_detail(request, pk):
    return _detail(request, _get(request, pk, DocumentKind.CREDIT_NOTE))


@portal_login_required
def document_pdf_view(request, pk):
    """The PDF of one of the customer's documents, as an attachment."""
    if not portal_documents(access=request.portal_access).filter(pk=pk).exists():
        raise Http404
    document = document_with_lines(pk)
    try:
        pdf = document_pdf(document)
    except TemplateError:
        # The workspace's template is broken: the customer can do nothing about it.
        messages.error(request, _("The PDF cannot be made right now. Please try again later or contact us."))
        return redirect(DETAIL_URL[document.kind], pk=document.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document_pdf_filename(document)}"'
    response["Cache-Control"] = "private, no-cache"
    return response


ANSWER_REFUSED = {
    "wrong_status": gettext_lazy("This offer has already been answered or withdrawn: it can no longer be accepted or declined."),
}


@portal_login_required
@require_POST
def offer_answer(request, pk):
    """Accept or decline an offer: the typed name, the time and the IP are recorded."""
    document = _get(request, pk, DocumentKind.OFFER)
    form = OfferAnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, document, form=form, status=400)
    try:
        answer = portal_offer_decide(
            access=request.portal_access, pk=document.pk, accept=form.accept, name=form.cleaned_data["name"],
            reason=form.cleaned_data["reason"], ip=client_ip(request) or "", actor=request.user,
        )
    except (Document.DoesNotExist, RecordError):
        raise Http404 from None
    except SalesError as exc:
        if exc.field:
            form.add_error(exc.field, exc.message)
            return _detail(request, document, form=form, status=400)
        messages.error(request, str(ANSWER_REFUSED.get(exc.code, exc.message)))
        return redirect("portal_offer_detail", pk=document.pk)
    if not answer.recorded:
        messages.info(request, _("Your answer had already been recorded."))
    elif form.accept:
        messages.success(request, _("Thank you: you have accepted the offer. We will be in touch."))
    else:
        messages.success(request, _("You have declined the offer. Thank you for letting us know."))
    return redirect("portal_offer_detail", pk=document.pk)


@portal_login_required
def payment_list(request):
    page = portal_payment_page(access=request.portal_access, page_number=request.GET.get("page"))
    return render(request, "portal/payment_list.html", {"page": page})
