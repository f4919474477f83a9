"""Sales document pages: the list, the editor, a document's page and its actions,
payments, the PDF download, and the look-ups the editor uses."""

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST

from shared_apps.accounts.decorators import permission_required
from shared_apps.accounts.rules import can
from tenant_apps.records.errors import RecordError, RecordNotFound, deny_if_forbidden
from tenant_apps.records.list_views import members_of_workspace

from .document_selectors import (
    SORTS, DocumentFilters, document_events, document_get, document_page, document_payments, document_related,
)
from .errors import SalesError
from .forms import (
    DocumentForm, LineFormSet, PaymentForm, VoidForm, contact_label, line_initial, query_text, record_id, taxes_active,
)
from .models import Document, DocumentKind, DocumentStatus, Payment, Product
from .selectors import product_price_for, product_search, sales_settings
from .services.documents import (
    credit_note_create, deal_offer_create, document_create, document_delete, document_duplicate, document_update,
    invoice_issue, invoice_void, offer_convert, offer_decide, offer_mark_sent,
)
from .services.payments import payment_record, payment_refund
from .services.sending import document_sendable

S = DocumentStatus
OPEN_INVOICE = (S.ISSUED, S.PARTIALLY_PAID, S.OVERDUE)
KIND_TABS = (("", gettext_lazy("All")), *DocumentKind.choices)


def _document(request, pk) -> Document:
    try:
        return document_get(user=request.user, pk=pk)
    except Document.DoesNotExist:
        raise Http404 from None


def _date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filters(request) -> DocumentFilters:
    get = request.GET
    owner = get.get("owner", "")
    return DocumentFilters(
        kind=get.get("kind", ""), status=get.get("status", ""), company=record_id(get.get("company")),
        contact=record_id(get.get("contact")), deal=record_id(get.get("deal")),
        owner=request.user.pk if owner == "me" else record_id(owner),
        date_from=_date(get.get("from")), date_to=_date(get.get("to")), overdue=get.get("overdue") == "1",
        q=query_text(get.get("q")), sort=get.get("sort") if get.get("sort") in SORTS else "-created",
    )


@permission_required("sales.view_document")
def document_list(request):
    filters = _filters(request)
    page = document_page(user=request.user, filters=filters, page_number=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    scope = _scope(request, filters)
    tab_query = query.copy()
    tab_query.pop("kind", None)
    tab_query.pop("status", None)
    return render(request, "sales/document_list.html", {
        "page": page, "filters": filters, "params": request.GET, "query": query.urlencode(),
        "tab_query": tab_query.urlencode(), "kind_tabs": KIND_TABS, "statuses": DocumentStatus.choices,
        "members": members_of_workspace(request.tenant), "today": timezone.localdate(),
        "can_add": can(request.user, "sales.add_document"), "section": "documents", "scope": scope,
        "sorts": [("-created", _("Newest")), ("created", _("Oldest")), ("-date", _("Date, newest")),
                  ("-due", _("Due date, latest")), ("due", _("Due date, soonest")), ("-total", _("Total, highest")),
                  ("total", _("Total, lowest")), ("number", _("Number"))],
    })


def _scope(request, filters):
    """The company, contact or deal the list is narrowed to (from a record page's link)."""
    from tenant_apps.companies.models import Company
    from tenant_apps.contacts.models import Contact
    from tenant_apps.deals.models import Deal
    from tenant_apps.records.visibility import visible

    for model, pk in ((Company, filters.company), (Contact, filters.contact), (Deal, filters.deal)):
        if pk is not None:
            return visible(model.objects.all(), request.user).filter(pk=pk).first()
    return None


# --- the editor -------------------------------------------------------------------------


def _initial_header(request, kind) -> dict:
    from tenant_apps.companies.models import Company
    from tenant_apps.contacts.models import Contact
    from tenant_apps.deals.models import Deal
    from tenant_apps.records.visibility import visible

    from .services.documents import _workspace_currency

    settings_row = sales_settings()
    initial = {
        "currency": _workspace_currency(), "language": request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("en", "bg") else "en",
        "prices_include_tax": settings_row.prices_include_tax, "notes": settings_row.default_notes,
        "terms": settings_row.default_terms, "layout": settings_row.default_layout or "classic",
        "payment_terms_days": settings_row.payment_terms_days, "owner": str(request.user.pk),
    }
    def picked(model, name):
        pk = record_id(request.GET.get(name))
        return None if pk is None else visible(model.objects.all(), request.user).filter(pk=pk).first()

    company = picked(Company, "company")
    contact = picked(Contact, "contact")
    if contact is not None:
        initial.update(contact=contact.pk, contact_name=contact_label(contact))
        company = company or contact.company
    if company is not None:
        initial.update(company=company.pk, company_name=company.name)
    deal = picked(Deal, "deal")
    if deal is not None:
        initial.update(deal=deal.pk, currency=deal.currency or initial["currency"])
    return initial


def _editor(request, *, kind, document=None):
    taxes = taxes_active()
    members = members_of_workspace(request.tenant)
    form_kind = DocumentKind.OFFER if kind == DocumentKind.OFFER else DocumentKind.INVOICE
    if request.method == "POST":
        form = DocumentForm(request.POST, user=request.user, kind=form_kind, members=members)
        formset = LineFormSet(request.POST, prefix="lines", taxes=taxes)
        if form.is_valid() and formset.is_valid():
            saved = _save(request, form, formset, kind=kind, document=document)
            if saved is not None:
                if "add_line" in request.POST:
                    return redirect("sales_document_edit", saved.pk)
                messages.success(request, _("Saved."))
                return redirect("sales_document_detail", saved.pk)
    else:
        if document is not None:
            form = DocumentForm(initial=DocumentForm.initial_for(document), user=request.user, kind=form_kind,
                                members=members)
            formset = LineFormSet(initial=line_initial(document, taxes), prefix="lines", taxes=taxes)
        else:
            form = DocumentForm(initial=_initial_header(request, kind), user=request.user, kind=form_kind,
                                members=members)
            formset = LineFormSet(prefix="lines", taxes=taxes)
    title = (_("Edit %(document)s") % {"document": document}) if document else {
        DocumentKind.OFFER: _("New offer"), DocumentKind.INVOICE: _("New invoice"),
    }[kind]
    return render(request, "sales/document_form.html", {
        "form": form, "formset": formset, "document": document, "kind": kind, "title": title,
        "tax_rates_data": {str(t.pk): {"name": t.name, "rate": str(t.rate)} for t in taxes},
        "cancel_url": reverse("sales_document_detail", args=[document.pk]) if document else reverse("sales_document_list"),
    }, status=400 if request.method == "POST" else 200)


def _save(request, form, formset, *, kind, document=None):
    """Through the services; their refusal is shown next to the field it is about and
    nothing is saved."""
    data, lines = form.service_data(), formset.service_lines()
    try:
        if document is None:
            return document_create(actor=request.user, kind=kind, data=data, lines=lines)
        return document_update(document=document, actor=request.user, data=data, lines=lines)
    except SalesError as exc:
        if exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        elif exc.field == "lines":
            formset._non_form_errors = formset.error_class([exc.message])
        else:
            form.add_error(None, exc.message)
    except RecordError as exc:
        deny_if_forbidden(exc)
        form.add_error(None, exc.message)
    return None


@permission_required("sales.add_document")
def document_new(request, kind):
    if kind not in (DocumentKind.OFFER, DocumentKind.INVOICE):
        raise Http404
    return _editor(request, kind=kind)


@permission_required("sales.view_document")
def document_edit(request, pk):
    document = _document(request, pk)
    if not can(request.user, "sales.change_document", document):
        raise PermissionDenied
    if not document.is_draft:
        messages.error(request, SalesError("not_draft").message)
        return redirect("sales_document_detail", document.pk)
    return _editor(request, kind=document.kind, document=document)


# --- a document's page and its actions --------------------------------------------------


def _actions(user, document: Document) -> dict:
    change = can(user, "sales.change_document", document)
    manage = can(user, "sales.void_document", document)
    kind, status = document.kind, document.status
    is_invoice = kind == DocumentKind.INVOICE
    return {
        "edit": change and document.is_draft,
        "delete": change and document.is_draft,
        "issue": change and document.is_draft and kind in (DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE),
        "mark_sent": change and document.is_draft and kind == DocumentKind.OFFER,
        "send": change and document_sendable(document),
        "decide": change and kind == DocumentKind.OFFER and status == S.SENT,
        "convert": change and can(user, "sales.add_document") and kind == DocumentKind.OFFER and status == S.ACCEPTED,
        # Never paid (a refunded payment still counts) and never credited: see invoice_void.
        "void": manage and is_invoice and status in OPEN_INVOICE and not document.amount_credited
        and not document.amount_paid and not (is_invoice and document.payments.exists()),
        "credit": manage and is_invoice and status in (*OPEN_INVOICE, S.PAID),
        "duplicate": can(user, "sales.add_document") and kind in (DocumentKind.OFFER, DocumentKind.INVOICE),
        "pay": can(user, "sales.record_payment", document) and is_invoice and status in (*OPEN_INVOICE, S.PAID),
        "refund": can(user, "sales.refund", document) and is_invoice and document.amount_paid > 0
        and status not in (S.DRAFT, S.VOID),
    }


@permission_required("sales.view_document")
def document_detail(request, pk):
    document = _document(request, pk)
    actions = _actions(request.user, document)
    balance = document.balance
    payment_form = PaymentForm(initial={
        "amount": balance if balance > 0 else "", "paid_on": timezone.localdate(), "method": Payment.Method.BANK_TRANSFER,
    }, prefix="pay")
    refund_form = PaymentForm(initial={"amount": document.amount_paid if document.amount_paid > 0 else "",
                                       "paid_on": timezone.localdate()}, prefix="refund")
    return render(request, "sales/document_detail.html", {
        "document": document, "lines": list(document.lines.all()), "actions": actions,
        "events": document_events(user=request.user, document=document),
        "payments": document_payments(document=document) if document.kind == DocumentKind.INVOICE else [],
        "related": document_related(document=document), "payment_form": payment_form, "refund_form": refund_form,
        "void_form": VoidForm(), "balance": balance, "section": "documents",
    })


def _act(request, pk, action, *, allowed: str, done: str | None = None, perm: str = "sales.view_document"):
    """Run one life-cycle step: back to the document (or the one it made) with a message;
    a refusal is explained, a forbidden step is a 403."""
    document = _document(request, pk)
    if not _actions(request.user, document).get(allowed):
        if not can(request.user, perm, document):
            raise PermissionDenied
    try:
        result = action(document)
    except SalesError as exc:
        messages.error(request, exc.message)
        return redirect("sales_document_detail", document.pk)
    except RecordError as exc:
        deny_if_forbidden(exc)
        messages.error(request, exc.message)
        return redirect("sales_document_detail", document.pk)
    if done:
        messages.success(request, done)
    return result


@permission_required("sales.add_document")
@require_POST
def document_delete_view(request, pk):
    def delete(document):
        document_delete(document=document, actor=request.user)
        return redirect("sales_document_list")

    return _act(request, pk, delete, allowed="delete", perm="sales.change_document",
                done=_("The draft has been deleted."))


@permission_required("sales.add_document")
@require_POST
def document_issue(request, pk):
    def issue(document):
        on = document.issue_date or None
        issued = invoice_issue(document=document, actor=request.user, on=on)
        messages.success(request, _("%(document)s has been issued.") % {"document": issued.number})
        return redirect("sales_document_detail", issued.pk)

    return _act(request, pk, issue, allowed="issue", perm="sales.change_document")


@permission_required("sales.add_document")
@require_POST
def document_mark_sent(request, pk):
    def mark(document):
        sent = offer_mark_sent(document=document, actor=request.user)
        messages.success(request, _("%(document)s is marked as sent.") % {"document": sent.number})
        return redirect("sales_document_detail", sent.pk)

    return _act(request, pk, mark, allowed="mark_sent", perm="sales.change_document")


@permission_required("sales.add_document")
@require_POST
def document_decide(request, pk):
    accept = request.POST.get("decision") == "accept"
    if request.POST.get("decision") not in ("accept", "decline"):
        messages.error(request, _("Choose whether the customer accepted or declined."))
        return redirect("sales_document_detail", pk)

    def decide(document):
        offer_decide(document=document, accept=accept, actor=request.user, name=request.POST.get("name", ""),
                     door="ui")
        messages.success(request, _("The customer's acceptance has been recorded.") if accept
                         else _("The customer's refusal has been recorded."))
        return redirect("sales_document_detail", document.pk)

    return _act(request, pk, decide, allowed="decide", perm="sales.change_document")


@permission_required("sales.add_document")
@require_POST
def document_convert(request, pk):
    def convert(document):
        invoice = offer_convert(document=document, actor=request.user)
        messages.success(request, _("A draft invoice has been made from the offer. Check it and issue it."))
        return redirect("sales_document_detail", invoice.pk)

    return _act(request, pk, convert, allowed="convert", perm="sales.change_document")


@permission_required("sales.add_document")
@require_POST
def document_void(request, pk):
    form = VoidForm(request.POST)
    if not form.is_valid():
        document = _document(request, pk)
        if not can(request.user, "sales.void_document", document):
            raise PermissionDenied
        messages.error(request, _("Say why the invoice is void."))
        return redirect("sales_document_detail", document.pk)

    def void(document):
        invoice_void(document=document, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The invoice is void. Its number stays used."))
        return redirect("sales_document_detail", document.pk)

    return _act(request, pk, void, allowed="void", perm="sales.void_document")


@permission_required("sales.add_document")
@require_POST
def document_credit_note(request, pk):
    def credit(document):
        note = credit_note_create(invoice=document, actor=request.user)
        messages.success(request, _("A draft credit note for all of the invoice has been made. Remove what is not "
                                    "credited, then issue it."))
        return redirect("sales_document_edit", note.pk)

    return _act(request, pk, credit, allowed="credit", perm="sales.void_document")


@permission_required("sales.add_document")
@require_POST
def document_duplicate_view(request, pk):
    def duplicate(document):
        copy = document_duplicate(document=document, actor=request.user)
        messages.success(request, _("This is a new draft copied from %(document)s.") % {"document": document})
        return redirect("sales_document_edit", copy.pk)

    return _act(request, pk, duplicate, allowed="duplicate", perm="sales.add_document")


def _payment(request, pk, *, refund: bool):
    document = _document(request, pk)
    perm = "sales.refund" if refund else "sales.record_payment"
    if not can(request.user, perm, document):
        raise PermissionDenied
    form = PaymentForm(request.POST, prefix="refund" if refund else "pay")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect(f"{reverse('sales_document_detail', args=[document.pk])}#payments")
    data = form.cleaned_data
    record = payment_refund if refund else payment_record
    try:
        record(invoice=document, actor=request.user, amount=data["amount"], paid_on=data["paid_on"],
               method=data["method"], reference=data["reference"], note=data["note"])
    except SalesError as exc:
        messages.error(request, exc.message)
    except RecordError as exc:
        deny_if_forbidden(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The refund has been recorded.") if refund else _("The payment has been recorded."))
    return redirect(f"{reverse('sales_document_detail', args=[document.pk])}#payments")


@permission_required("sales.add_document")
@require_POST
def payment_record_view(request, pk):
    return _payment(request, pk, refund=False)


@permission_required("sales.add_document")
@require_POST
def payment_refund_view(request, pk):
    return _payment(request, pk, refund=True)


@permission_required("sales.add_document")
@require_POST
def deal_offer(request, pk):
    """The deal page's "Create offer": a draft offer for the deal, opened in the editor."""
    from tenant_apps.deals.selectors import deal_get

    try:
        deal = deal_get(user=request.user, pk=pk)
    except RecordNotFound:
        raise Http404 from None
    try:
        offer = deal_offer_create(deal=deal, actor=request.user)
    except SalesError as exc:
        messages.error(request, exc.message)
        return redirect(deal)
    except RecordError as exc:
        deny_if_forbidden(exc)
        messages.error(request, exc.message)
        return redirect(deal)
    messages.success(request, _("A draft offer for the deal has been made."))
    return redirect("sales_document_edit", offer.pk)


# --- look-ups for the editor ------------------------------------------------------------


def _money_text(value) -> str | None:
    return None if value is None else f"{Decimal(value).normalize():f}"


@permission_required("sales.view_product")
def product_lookup(request):
    """Quick-add: active products by SKU or name with their unit price in the document's
    currency; with ?id= one product's price for ?quantity= (its quantity tiers)."""
    currency = (request.GET.get("currency") or "").strip().upper()[:3]
    product_id = record_id(request.GET.get("id"))
    if product_id is not None:
        product = Product.objects.prefetch_related("prices", "bundle_items__component__prices").filter(
            pk=product_id, is_active=True).first()
        if product is None:
            return JsonResponse({"error": {"code": "not_found", "message": _("This product cannot be used here.")}},
                                status=404)
        price = product_price_for(product=product, currency=currency, quantity=request.GET.get("quantity") or "1")
        return JsonResponse({"id": product.pk, "currency": currency, "unit_price": _money_text(price)})
    results = product_search(query=query_text(request.GET.get("q")), currency=currency, limit=10)
    return JsonResponse({"currency": currency, "results": [
        {**row, "unit_price": _money_text(row["unit_price"])} for row in results
    ]})


@permission_required("sales.view_document")
def contact_lookup(request):
    """Contacts whose name or e-mail starts like ?q= (the editor's customer field)."""
    from django.db.models import Q

    from tenant_apps.contacts.models import Contact
    from tenant_apps.records.visibility import visible

    q = query_text(request.GET.get("q"))
    if len(q) < 2:
        return JsonResponse({"results": []})
    contacts = visible(Contact.objects.select_related("company"), request.user).filter(
        Q(first_name__istartswith=q) | Q(last_name__istartswith=q) | Q(email__istartswith=q)
    ).order_by("first_name", "last_name", "pk")[:10]
    return JsonResponse({"results": [
        {"id": c.pk, "label": contact_label(c), "company": c.company.name if c.company else "",
         "company_id": c.company_id}
        for c in contacts
    ]})
