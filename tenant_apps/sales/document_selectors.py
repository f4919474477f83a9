"""Reads behind the documents list, a document's page and the documents sections of
company, contact and deal pages. Every read applies record visibility: a sales rep
limited to their own records sees the documents they own."""

from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from tenant_apps.activities.models import Activity
from tenant_apps.records.visibility import visible, visible_activities

from .models import Document, DocumentKind, DocumentStatus, Payment

S = DocumentStatus
OPEN_INVOICE = (S.ISSUED, S.PARTIALLY_PAID, S.OVERDUE)
LIST_PAGE_SIZE = 50
RECORD_SECTION_SIZE = 5
# sort key in the query string -> ORDER BY (ties broken by pk, newest first)
SORTS = {
    "-created": ("-created_at", "-pk"),
    "created": ("created_at", "pk"),
    "-date": ("-issue_date", "-pk"),
    "date": ("issue_date", "pk"),
    "-due": ("-due_date", "-pk"),
    "due": ("due_date", "pk"),
    "-total": ("-total", "-pk"),
    "total": ("total", "pk"),
    "number": ("number", "pk"),
    "-number": ("-number", "-pk"),
}


@dataclass
class DocumentFilters:
    kind: str = ""
    status: str = ""
    company: int | None = None
    contact: int | None = None
    deal: int | None = None
    owner: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    overdue: bool = False
    q: str = ""
    sort: str = "-created"
    problems: list[str] = field(default_factory=list)


def documents_visible(user) -> QuerySet:
    return visible(Document.objects.all(), user)


def document_get(*, user, pk) -> Document:
    """One document with its lines, or Document.DoesNotExist when it is not there or not visible."""
    from .selectors import document_with_lines

    if not documents_visible(user).filter(pk=pk).exists():
        raise Document.DoesNotExist
    return document_with_lines(pk)


def document_list(*, user, filters: DocumentFilters) -> QuerySet:
    """The filtered, sorted documents `user` may see, with what a list row shows joined in."""
    qs = documents_visible(user).select_related("company", "contact", "owner").annotate(
        is_late=Case(When(kind=DocumentKind.INVOICE, status__in=OPEN_INVOICE, due_date__lt=timezone.localdate(),
                          then=Value(True)), default=Value(False), output_field=BooleanField())
    )
    if filters.kind in DocumentKind.values:
        qs = qs.filter(kind=filters.kind)
    if filters.status in DocumentStatus.values:
        qs = qs.filter(status=filters.status)
    for name in ("company", "contact", "deal", "owner"):
        value = getattr(filters, name)
        if value is not None:
            qs = qs.filter(**{f"{name}_id": value})
    if filters.date_from:
        qs = qs.filter(issue_date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(issue_date__lte=filters.date_to)
    if filters.overdue:
        # An open invoice past its due date is overdue before the daily job has marked it.
        qs = qs.filter(kind=DocumentKind.INVOICE).filter(
            Q(status=S.OVERDUE) | Q(status__in=OPEN_INVOICE, due_date__lt=timezone.localdate())
        )
    q = filters.q.strip()
    if q:
        qs = qs.filter(
            Q(number__icontains=q) | Q(company__name__icontains=q) | Q(contact__first_name__icontains=q)
            | Q(contact__last_name__icontains=q) | Q(customer__name__icontains=q)
        )
    return qs.order_by(*SORTS.get(filters.sort, SORTS["-created"]))


def document_page(*, user, filters: DocumentFilters, page_number, per_page: int = LIST_PAGE_SIZE):
    """A page of the list: two queries (count and rows) whatever the page size."""
    return Paginator(document_list(user=user, filters=filters), per_page).get_page(page_number)


def documents_for_record(*, user, company=None, contact=None, deal=None, limit: int = RECORD_SECTION_SIZE):
    """The latest documents of a company, contact or deal (one query), and whether there are more."""
    if company is not None:
        qs = Document.objects.filter(company=company)
    elif contact is not None:
        qs = Document.objects.filter(contact=contact)
    elif deal is not None:
        qs = Document.objects.filter(deal=deal)
    else:
        return [], False
    rows = list(visible(qs, user).only(
        "pk", "kind", "number", "status", "currency", "total", "amount_paid", "amount_credited", "issue_date",
        "created_at", "owner_id",
    ).order_by("-created_at", "-pk")[: limit + 1])
    return rows[:limit], len(rows) > limit


def document_events(*, user, document: Document, limit: int = 50) -> list[Activity]:
    """The timeline entries about one document, newest first."""
    links = Q()
    for name in ("company_id", "contact_id", "deal_id"):
        if getattr(document, name) is not None:
            links |= Q(**{name: getattr(document, name)})
    if not links:
        return []
    qs = Activity.objects.filter(links, data__document_id=document.pk).select_related("author")
    return list(visible_activities(qs, user).order_by("-occurred_at", "-pk")[:limit])


def document_payments(*, document: Document) -> list[Payment]:
    return list(document.payments.select_related("recorded_by").order_by("-paid_on", "-pk"))


def document_related(*, document: Document) -> dict:
    """Invoices made from an offer and credit notes of an invoice."""
    return {
        "invoices": list(document.invoices.only("pk", "number", "status", "kind", "created_at")),
        "credit_notes": list(document.credit_notes.only("pk", "number", "status", "kind", "total", "currency",
                                                        "created_at")),
    }


def number_preview(*, kind: str, fmt: str, on: date | None = None) -> str:
    """The number the next document of `kind` would get today with format `fmt` (nothing is taken)."""
    from .models import NumberSequence
    from .numbering import _period, number_render

    on = on or timezone.localdate()
    last = NumberSequence.objects.filter(kind=kind, period=_period(fmt, on)).values_list("last_value", flat=True).first()
    return number_render(fmt, (last or 0) + 1, on)
