"""What a portal customer may read: their company's offers, invoices, credit notes and payments.

Every query here starts from `customer_scope(access)` (portal/access.py): the company of the
signed-in contact, or the contact alone when it has no company. Nothing of another company
of the workspace, and nothing of another workspace, can be reached through these functions.

A customer sees *issued* documents only, the ones the workspace has given them:

- offers once sent (sent, accepted, declined, expired, converted to an invoice);
- invoices once issued (issued, partially paid, paid, overdue);
- issued credit notes.

Drafts are work in progress and never shown; voided invoices were withdrawn by the
workspace and are not shown either (nor their payments). Lists are newest first and cost a
fixed number of queries whatever their length.
"""

from datetime import date

from django.core.paginator import Paginator
from django.db.models import Count, DecimalField, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from tenant_apps.sales.models import Document, DocumentKind, DocumentLine, DocumentStatus, Payment

from .access import customer_scope
from .models import PortalAccess

S = DocumentStatus
HIDDEN_STATUSES = (S.DRAFT, S.VOID)
OPEN_OFFER = (S.SENT,)
UNPAID_INVOICE = (S.ISSUED, S.PARTIALLY_PAID, S.OVERDUE)
PAGE_SIZE = 20
OVERVIEW_SIZE = 5
# The data export holds at most this many documents (and their payments); a customer with
# more gets the newest and a note saying the list is cut.
EXPORT_MAX_DOCUMENTS = 2000


def portal_documents(*, access: PortalAccess, kind: str | None = None) -> QuerySet:
    """The customer's issued documents (of one kind, or all), newest first."""
    qs = Document.objects.filter(customer_scope(access)).exclude(status__in=HIDDEN_STATUSES)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.order_by("-issue_date", "-pk")


def portal_document_page(*, access: PortalAccess, kind: str, page_number, per_page: int = PAGE_SIZE):
    """One page of a document list: two queries (count and rows)."""
    return Paginator(portal_documents(access=access, kind=kind), per_page).get_page(page_number)


def portal_document_get(*, access: PortalAccess, pk, kind: str | None = None) -> Document:
    """One of the customer's documents with its lines; Document.DoesNotExist for anything
    else (another company's, a draft, a voided one, a wrong kind)."""
    qs = portal_documents(access=access, kind=kind).prefetch_related(
        Prefetch("lines", queryset=DocumentLine.objects.order_by("position", "pk"))
    )
    return qs.get(pk=pk)


def portal_document_payments(*, document: Document) -> list[Payment]:
    """The payments and refunds on one of the customer's invoices, newest first."""
    if document.kind != DocumentKind.INVOICE:
        return []
    return list(document.payments.order_by("-paid_on", "-pk"))


def portal_payments(*, access: PortalAccess) -> QuerySet:
    """Payments and refunds on the customer's visible invoices, newest first, with the invoice."""
    return (
        Payment.objects.filter(customer_scope(access, company_field="document__company",
                                              contact_field="document__contact"))
        .exclude(document__status__in=HIDDEN_STATUSES)
        .select_related("document")
        .order_by("-paid_on", "-pk")
    )


def portal_payment_page(*, access: PortalAccess, page_number, per_page: int = PAGE_SIZE):
    return Paginator(portal_payments(access=access), per_page).get_page(page_number)


def portal_overview(*, access: PortalAccess, today: date | None = None) -> dict:
    """The signed-in home page: offers awaiting an answer (not past their validity), unpaid
    invoices with what is due per currency, and the latest payments. Five queries."""
    today = today or timezone.localdate()
    offers = list(
        portal_documents(access=access, kind=DocumentKind.OFFER).filter(status__in=OPEN_OFFER)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .order_by("valid_until", "-pk")[:OVERVIEW_SIZE]
    )
    unpaid = portal_documents(access=access, kind=DocumentKind.INVOICE).filter(status__in=UNPAID_INVOICE)
    money = DecimalField(max_digits=18, decimal_places=2)
    due = (
        unpaid.order_by().values("currency")
        .annotate(amount=Sum(F("total") - F("amount_paid") - F("amount_credited"), output_field=money),
                  count=Count("pk"))
        .order_by("currency")
    )
    due = list(due)
    invoices = list(unpaid.order_by("due_date", "pk")[:OVERVIEW_SIZE * 2])
    return {
        "offers": offers,
        "invoices": invoices,
        "more_invoices": max(sum(row["count"] for row in due) - len(invoices), 0),
        "due": [(row["currency"], row["amount"]) for row in due],
        "payments": list(portal_payments(access=access)[:OVERVIEW_SIZE]),
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _document_data(document: Document) -> dict:
    decision = {k: v for k, v in (document.decision or {}).items() if k in ("accepted", "name", "ip", "at", "reason")}
    data = {
        "type": document.kind,
        "number": document.number,
        "status": document.status,
        "date": _iso(document.issue_date),
        "currency": document.currency,
        "subtotal": str(document.subtotal),
        "discount": str(document.discount_total),
        "net": str(document.net_total),
        "tax": str(document.tax_total),
        "total": str(document.total),
        "taxes": document.tax_breakdown,
        "notes": document.notes,
        "terms": document.terms,
        "lines": [
            {"sku": line.sku, "description": line.description, "quantity": str(line.quantity), "unit": line.unit,
             "unit_price": str(line.unit_price), "discount_percent": str(line.discount_percent),
             "taxes": line.taxes, "amount": str(line.amount)}
            for line in document.lines.all()
        ],
    }
    if document.kind == DocumentKind.OFFER:
        data.update({"valid_until": _iso(document.valid_until), "decision": decision or None})
    else:
        data.update({"due_date": _iso(document.due_date)})
    if document.kind == DocumentKind.INVOICE:
        data.update({"paid": str(document.amount_paid), "credited": str(document.amount_credited),
                     "amount_due": str(document.balance)})
    return data


def portal_data_export(*, access: PortalAccess) -> dict:
    """Everything the portal shows this customer, as plain data: their own contact details,
    their company's documents (with lines) and payments, and each registered extra section
    (portal.exports). Staff notes, the timeline and the change history are the workspace's
    records, not the customer's: a formal access request goes through the staff export.
    A fixed number of queries; at most EXPORT_MAX_DOCUMENTS documents."""
    from .exports import export_sections

    contact = access.contact
    documents = list(
        portal_documents(access=access)
        .prefetch_related(Prefetch("lines", queryset=DocumentLine.objects.order_by("position", "pk")))
        [:EXPORT_MAX_DOCUMENTS + 1]
    )
    truncated = len(documents) > EXPORT_MAX_DOCUMENTS
    documents = documents[:EXPORT_MAX_DOCUMENTS]
    numbers = {d.pk: d.number for d in documents}
    payments = list(portal_payments(access=access).filter(document_id__in=list(numbers)))
    data = {
        "exported_at": timezone.now().isoformat(),
        "contact": {
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "job_title": contact.job_title,
            "email": contact.email,
            "company": contact.company.name if contact.company else None,
            "emails": [{"email": e.email, "label": e.label, "primary": e.is_primary} for e in contact.emails.all()],
            "phones": [{"number": p.number, "label": p.label, "primary": p.is_primary} for p in contact.phones.all()],
            "address": {
                "line1": contact.address_line1, "line2": contact.address_line2, "postal_code": contact.postal_code,
                "city": contact.city, "region": contact.region, "country": contact.country,
            },
        },
        "portal_access": {"since": _iso(access.activated_at), "last_sign_in": _iso(access.last_login_at)},
        "offers": [_document_data(d) for d in documents if d.kind == DocumentKind.OFFER],
        "invoices": [_document_data(d) for d in documents if d.kind == DocumentKind.INVOICE],
        "credit_notes": [_document_data(d) for d in documents if d.kind == DocumentKind.CREDIT_NOTE],
        "payments": [
            {"invoice": numbers[p.document_id], "type": p.kind, "amount": str(p.amount), "currency": p.currency,
             "method": p.method, "date": _iso(p.paid_on), "reference": p.reference}
            for p in payments
        ],
        "documents_truncated": truncated,
    }
    for key, section in export_sections():
        data[key] = section(access)
    return data
