"""Offers, invoices and credit notes: drafts, numbering, the offer and invoice life cycles.

Every function here runs in one transaction, checks the actor's permission, and records
what happened on the timeline of the document's deal, company and contact. An issued
document is never edited: corrections are credit notes (invoices) or a new offer."""

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from shared_apps.accounts.rules import can
from tenant_apps.activities.services import timeline_event
from tenant_apps.records.errors import RecordPermissionError
from tenant_apps.records.history import history_context

from .. import totals as totals_math
from ..errors import SalesError
from ..models import Document, DocumentKind, DocumentLine, DocumentStatus, Product, TaxRate
from ..numbering import number_next
from ..selectors import sales_settings

S = DocumentStatus
OPEN_INVOICE = (S.ISSUED, S.PARTIALLY_PAID, S.OVERDUE)
MAX_LINES = 500
CURRENCY = re.compile(r"^[A-Z]{3}$")


def _require(actor, perm: str, obj=None) -> None:
    if not can(actor, perm, obj):
        raise RecordPermissionError()


def _decimal(value, field: str, code: str = "line_invalid") -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError, TypeError):
        raise SalesError(code, field=field) from None
    if not number.is_finite():
        raise SalesError(code, field=field)
    return number


def _percent(value, field: str) -> Decimal:
    number = _decimal(value if value not in (None, "") else "0", field, "discount_invalid")
    if number < 0 or number > 100 or number.as_tuple().exponent < -2:
        raise SalesError("discount_invalid", field=field)
    return number


def _currency(value) -> str:
    code = (value or "").strip().upper()
    if not CURRENCY.match(code):
        raise SalesError("currency_invalid", field="currency")
    return code


def _taxes_of(line: dict) -> list[dict]:
    """A line's taxes as snapshots: from TaxRate rows (or their ids) or (name, rate) pairs."""
    if "tax_rates" in line:
        rates = list(line["tax_rates"] or [])
        ids = [r.pk if isinstance(r, TaxRate) else r for r in rates]
        found = {t.pk: t for t in TaxRate.objects.filter(pk__in=ids, is_active=True)}
        if len(found) != len(set(ids)):
            raise SalesError("tax_invalid", field="lines")
        return [{"name": found[i].name, "rate": str(found[i].rate)} for i in dict.fromkeys(ids)]
    taxes = []
    for name, rate in line.get("taxes") or []:
        rate = _decimal(rate, "lines", "tax_invalid")
        if rate < 0 or rate > 100:
            raise SalesError("tax_invalid", field="lines")
        taxes.append({"name": str(name)[:60], "rate": str(rate)})
    return taxes


def _clean_lines(lines: list[dict]) -> list[dict]:
    if len(lines) > MAX_LINES:
        raise SalesError("line_invalid", field="lines")
    cleaned = []
    for line in lines:
        description = (line.get("description") or "").strip()
        product = line.get("product")
        if product is not None and not isinstance(product, Product):
            product = Product.objects.filter(pk=product).first()
            if product is None:
                raise SalesError("product_invalid", field="lines")
        if not description and product is not None:
            description = product.name
        quantity = _decimal(line.get("quantity", "1"), "lines")
        unit_price = _decimal(line.get("unit_price"), "lines")
        if (not description or len(description) > 2000 or quantity <= 0 or unit_price < 0
                or quantity.as_tuple().exponent < -3 or unit_price.as_tuple().exponent < -4
                or quantity >= Decimal("1e9") or unit_price >= Decimal("1e10")):
            raise SalesError("line_invalid", field="lines")
        cleaned.append(
            {
                "product": product,
                "sku": product.sku if product is not None else (line.get("sku") or "")[:64],
                "description": description,
                "quantity": quantity,
                "unit": (line.get("unit") or (product.unit if product is not None else ""))[:20],
                "unit_price": unit_price,
                "discount_percent": _percent(line.get("discount_percent"), "lines"),
                "taxes": _taxes_of(line),
            }
        )
    return cleaned


def _apply_totals(document: Document, lines: list[DocumentLine]) -> None:
    result = totals_math.compute(
        [
            totals_math.LineInput(
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount_percent=line.discount_percent,
                taxes=tuple((t["name"], Decimal(t["rate"])) for t in line.taxes),
            )
            for line in lines
        ],
        discount_percent=document.discount_percent,
        prices_include_tax=document.prices_include_tax,
    )
    for line, amount in zip(lines, result.line_amounts, strict=True):
        line.amount = amount
    document.subtotal = result.subtotal
    document.discount_total = result.discount_total
    document.net_total = result.net_total
    document.tax_total = result.tax_total
    document.total = result.total
    document.tax_breakdown = [
        {"name": t.name, "rate": str(t.rate), "base": str(t.base), "amount": str(t.amount)} for t in result.taxes
    ]


HEADER_FIELDS = ("company", "contact", "deal", "owner", "currency", "language", "issue_date", "valid_until", "due_date",
                 "payment_terms_days", "prices_include_tax", "discount_percent", "notes", "terms", "layout")


# A credit note belongs to its invoice: customer, currency, prices and discount are the
# invoice's; only its own words and look may change.
CREDIT_NOTE_FIELDS = ("language", "issue_date", "notes", "terms", "layout")


def _apply_header(document: Document, data: dict, actor) -> None:
    fields = CREDIT_NOTE_FIELDS if document.kind == DocumentKind.CREDIT_NOTE else HEADER_FIELDS
    for field in fields:
        if field in data:
            setattr(document, field, data[field])
    document.currency = _currency(document.currency)
    document.discount_percent = _percent(document.discount_percent, "discount_percent")
    if document.language not in Document.Language.values:
        document.language = Document.Language.EN
    for record, perm in ((document.company, "companies.view_company"), (document.contact, "contacts.view_contact"),
                         (document.deal, "deals.view_deal")):
        if record is not None and not can(actor, perm, record):
            raise RecordPermissionError()
    if document.company is None and document.contact is not None:
        document.company = document.contact.company
    if document.deal is not None and document.company is None:
        document.company = document.deal.company
    if len(document.notes or "") > 10_000 or len(document.terms or "") > 10_000:
        raise SalesError("line_invalid", field="notes")


# The amount columns hold 14 digits before the point.
AMOUNT_LIMIT = Decimal("1e14")


def _check_amounts(document: Document, lines: list[DocumentLine]) -> None:
    amounts = [document.subtotal, document.total, document.net_total, *(line.amount for line in lines)]
    if any(abs(amount) >= AMOUNT_LIMIT for amount in amounts):
        raise SalesError("amount_too_large", field="lines")


def _write_lines(document: Document, lines: list[dict]) -> None:
    rows = [DocumentLine(document=document, position=i, **line) for i, line in enumerate(lines)]
    _apply_totals(document, rows)
    _check_amounts(document, rows)
    document.lines.all().delete()
    DocumentLine.objects.bulk_create(rows)


def _workspace_currency() -> str:
    from tenant_apps.workspace.models import WorkspaceProfile

    profile = WorkspaceProfile.objects.only("default_currency").first()
    return profile.default_currency if profile is not None else "EUR"


def document_create(*, actor, kind: str, data: dict, lines: list[dict], door: str = "ui") -> Document:
    """A new draft offer or invoice with its lines and totals."""
    _require(actor, "sales.add_document")
    if kind not in (DocumentKind.OFFER, DocumentKind.INVOICE):
        raise SalesError("wrong_kind")
    settings_row = sales_settings()
    document = Document(
        kind=kind,
        currency=_workspace_currency(),
        prices_include_tax=settings_row.prices_include_tax,
        payment_terms_days=settings_row.payment_terms_days if kind == DocumentKind.INVOICE else None,
        notes=settings_row.default_notes,
        terms=settings_row.default_terms,
        layout=settings_row.default_layout,
        owner=actor,
        created_by=actor,
    )
    _apply_header(document, data, actor)
    cleaned = _clean_lines(lines)
    with transaction.atomic(), history_context(actor, door):
        document.save()
        _write_lines(document, cleaned)
        document.save(update_fields=["subtotal", "discount_total", "net_total", "tax_total", "total", "tax_breakdown"])
        _event(document, f"{kind}_created", actor)
    return document


def _locked_draft(document: Document, actor) -> Document:
    _require(actor, "sales.change_document", document)
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if locked.status != S.DRAFT:
        raise SalesError("not_draft")
    return locked


def document_update(*, document: Document, actor, data: dict, lines: list[dict] | None = None, door: str = "ui") -> Document:
    """Change a draft's header and (when given) replace its lines; totals follow."""
    cleaned = _clean_lines(lines) if lines is not None else None
    with transaction.atomic(), history_context(actor, door):
        document = _locked_draft(document, actor)
        _apply_header(document, data, actor)
        if cleaned is not None:
            _write_lines(document, cleaned)
        else:
            _apply_totals(document, list(document.lines.all()))
        document.save()
    return document


def document_delete(*, document: Document, actor, door: str = "ui") -> None:
    """Delete a draft; numbered documents are kept for ever (void or credit them instead)."""
    with transaction.atomic(), history_context(actor, door):
        document = _locked_draft(document, actor)
        document.lines.all().delete()
        document.delete()


def _snapshot_customer(document: Document) -> dict:
    company, contact = document.company, document.contact
    source = company or contact
    snapshot = {}
    if company is not None:
        snapshot.update(name=company.name, tax_id=company.tax_id, email=company.email)
    if contact is not None:
        full_name = " ".join(p for p in (contact.first_name, contact.last_name) if p)
        snapshot.update(contact_name=full_name, email=contact.email or snapshot.get("email", ""))
        snapshot.setdefault("name", full_name)
    if source is not None:
        snapshot.update({k: getattr(source, k) for k in ("address_line1", "address_line2", "postal_code", "city", "country")})
    return snapshot


def _snapshot_seller() -> dict:
    from django.db import connection

    from tenant_apps.workspace.models import WorkspaceProfile

    profile = WorkspaceProfile.objects.first()
    tenant = getattr(connection, "tenant", None)
    settings_row = sales_settings()
    snapshot = {"name": getattr(tenant, "name", ""), "bank_name": settings_row.bank_name, "iban": settings_row.iban,
                "bic": settings_row.bic}
    if profile is not None:
        snapshot.update({k: getattr(profile, k) for k in ("legal_name", "tax_id", "email", "phone", "website",
                                                           "address_line1", "address_line2", "postal_code", "city",
                                                           "country")})
        snapshot["name"] = profile.legal_name or snapshot["name"]
    return snapshot


def _check_issue_date(kind: str, on: date) -> None:
    """Numbers run in date order: no date in the future, none before the last issued one."""
    if on > timezone.localdate():
        raise SalesError("issue_date_invalid", field="issue_date")
    last = (Document.objects.filter(kind=kind).exclude(status=S.DRAFT).exclude(issue_date=None)
            .order_by("-issue_date").values_list("issue_date", flat=True).first())
    if last is not None and on < last:
        raise SalesError("issue_date_before_last", field="issue_date", date=last.isoformat())


def _number_and_freeze(document: Document, on: date) -> None:
    """Give the document its number and freeze who and what it is about."""
    lines = list(document.lines.all())
    if not lines:
        raise SalesError("no_lines")
    if document.company is None and document.contact is None:
        raise SalesError("no_customer")
    settings_row = sales_settings()
    fmt = {
        DocumentKind.OFFER: settings_row.offer_number_format,
        DocumentKind.INVOICE: settings_row.invoice_number_format,
        DocumentKind.CREDIT_NOTE: settings_row.credit_note_number_format,
    }[document.kind]
    _apply_totals(document, lines)  # a draft's totals are recomputed, never trusted
    _check_amounts(document, lines)
    _check_issue_date(document.kind, on)
    for line in lines:
        line.is_locked = True
    DocumentLine.objects.bulk_update(lines, ["amount", "is_locked"])
    document.issue_date = on
    document.number = number_next(kind=document.kind, fmt=fmt, on=on)
    if Document.objects.filter(kind=document.kind, number=document.number).exclude(pk=document.pk).exists():
        # Only after a format change that restarts a counter (a literal year, say).
        raise SalesError("number_taken", number=document.number)
    document.customer = _snapshot_customer(document)
    document.seller = _snapshot_seller()


def _event(document: Document, event: str, actor, **data) -> None:
    """On the timelines of the document's deal, company and contact (a draft may have none yet)."""
    if document.contact_id is None and document.company_id is None and document.deal_id is None:
        return
    timeline_event(
        event=event, actor=actor, contact=document.contact, company=document.company, deal=document.deal,
        subject=document.number,
        data={"document_id": document.pk, "number": document.number, "total": str(document.total),
              "currency": document.currency, **data},
    )


def invoice_issue(*, document: Document, actor, on: date | None = None, door: str = "ui") -> Document:
    """Number a draft invoice or credit note and freeze it for ever."""
    with transaction.atomic(), history_context(actor, door):
        document = _locked_draft(document, actor)
        if document.kind not in (DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE):
            raise SalesError("wrong_kind")
        on = on or timezone.localdate()
        if document.kind == DocumentKind.INVOICE:
            terms = document.payment_terms_days if document.payment_terms_days is not None else sales_settings().payment_terms_days
            if document.due_date is None or document.due_date < on:
                document.due_date = on + timedelta(days=terms)
        if document.kind == DocumentKind.CREDIT_NOTE:
            invoice = Document.objects.select_for_update().get(pk=document.credited_document_id)
            if invoice.status not in (*OPEN_INVOICE, S.PAID):
                raise SalesError("wrong_status")
            if (document.currency, document.company_id, document.contact_id) != (
                    invoice.currency, invoice.company_id, invoice.contact_id):
                raise SalesError("credit_note_mismatch")
        _number_and_freeze(document, on)
        if document.kind == DocumentKind.CREDIT_NOTE and document.total > invoice.total - invoice.amount_credited:
            raise SalesError("credit_exceeds_invoice")
        document.status = S.ISSUED
        document.issued_at = timezone.now()
        document.save()
        if document.kind == DocumentKind.CREDIT_NOTE:
            invoice.amount_credited += document.total
            invoice_settle(invoice)
            _event(invoice, "invoice_credited", actor, credit_note=document.number)
        _event(document, f"{document.kind}_issued", actor)
    return document


def offer_mark_sent(*, document: Document, actor, door: str = "ui") -> Document:
    """A draft offer gets its number and validity and becomes 'sent' (sending it by e-mail
    calls this; so does marking an offer handed over by other means)."""
    with transaction.atomic(), history_context(actor, door):
        document = _locked_draft(document, actor)
        if document.kind != DocumentKind.OFFER:
            raise SalesError("wrong_kind")
        on = timezone.localdate()
        if document.valid_until is None or document.valid_until < on:
            document.valid_until = on + timedelta(days=sales_settings().offer_validity_days)
        _number_and_freeze(document, on)
        document.status = S.SENT
        document.sent_at = timezone.now()
        document.save()
        _event(document, "offer_sent", actor)
    return document


def invoice_mark_sent(*, document: Document, actor) -> Document:
    """Remember when an issued invoice or credit note was last sent."""
    Document.objects.filter(pk=document.pk).update(sent_at=timezone.now())
    document.refresh_from_db(fields=["sent_at"])
    return document


def offer_decide(*, document: Document, accept: bool, actor=None, name: str = "", ip: str = "", door: str = "ui",
                 reason: str = "") -> Document:
    """Record the customer's acceptance or refusal of a sent offer, with who, when and from where.
    Staff (actor) record a decision given to them; the portal passes the typed name, the IP and,
    for a refusal, the customer's reason."""
    if actor is not None:
        _require(actor, "sales.change_document", document)
    name = (name or "").strip()[:200]
    reason = "" if accept else " ".join((reason or "").split())[:1000]
    if accept and actor is None and not name:
        raise SalesError("decision_name_required", field="name")
    expired = False
    with transaction.atomic(), history_context(actor, door):
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.kind != DocumentKind.OFFER:
            raise SalesError("wrong_kind")
        if document.status == S.SENT and document.valid_until and document.valid_until < timezone.localdate():
            # The refusal is an answer, not a failure: the expiry is kept.
            document.status = S.EXPIRED
            document.save(update_fields=["status", "updated_at"])
            _event(document, "offer_expired", None)
            expired = True
        elif document.status != S.SENT:
            raise SalesError("wrong_status")
        else:
            document.status = S.ACCEPTED if accept else S.DECLINED
            document.decided_at = timezone.now()
            document.decision = {
                "accepted": accept, "name": name, "ip": ip, "at": document.decided_at.isoformat(), "door": door,
                "by_user": getattr(actor, "pk", None), **({"reason": reason} if reason else {}),
            }
            document.save(update_fields=["status", "decided_at", "decision", "updated_at"])
            _event(document, "offer_accepted" if accept else "offer_declined", actor, name=name, ip=ip, door=door,
                   **({"reason": reason} if reason else {}))
    if expired:
        raise SalesError("offer_expired")
    return document


def offers_expire(*, today: date | None = None) -> int:
    """Sent offers past their validity become expired (the daily job); returns how many."""
    today = today or timezone.localdate()
    expired = 0
    for document in Document.objects.filter(kind=DocumentKind.OFFER, status=S.SENT, valid_until__lt=today):
        with transaction.atomic():
            updated = Document.objects.filter(pk=document.pk, status=S.SENT).update(status=S.EXPIRED, updated_at=timezone.now())
            if updated:
                expired += 1
                _event(document, "offer_expired", None)
    return expired


def _copy_lines(source: Document) -> list[dict]:
    return [
        {"product": line.product, "sku": line.sku, "description": line.description, "quantity": line.quantity,
         "unit": line.unit, "unit_price": line.unit_price, "discount_percent": line.discount_percent,
         "taxes": [(t["name"], t["rate"]) for t in line.taxes]}
        for line in source.lines.all()
    ]


def _copy_header(source: Document) -> dict:
    return {field: getattr(source, field) for field in ("company", "contact", "deal", "currency", "language",
                                                         "prices_include_tax", "discount_percent", "notes", "terms",
                                                         "layout")}


def offer_convert(*, document: Document, actor, door: str = "ui") -> Document:
    """An accepted offer becomes a draft invoice with the same lines (once)."""
    _require(actor, "sales.add_document")
    with transaction.atomic(), history_context(actor, door):
        offer = Document.objects.select_for_update().get(pk=document.pk)
        _require(actor, "sales.change_document", offer)
        if offer.kind != DocumentKind.OFFER:
            raise SalesError("wrong_kind")
        if offer.status != S.ACCEPTED:
            raise SalesError("wrong_status")
        invoice = document_create(actor=actor, kind=DocumentKind.INVOICE, data=_copy_header(offer),
                                  lines=_copy_lines(offer), door=door)
        invoice.source_offer = offer
        invoice.save(update_fields=["source_offer"])
        offer.status = S.CONVERTED
        offer.save(update_fields=["status", "updated_at"])
        _event(offer, "offer_converted", actor, invoice_id=invoice.pk)
    return invoice


def document_duplicate(*, document: Document, actor, door: str = "ui") -> Document:
    """A new draft offer or invoice with the same customer, terms and lines as `document`
    (whatever its status); dates and numbers are the new draft's own."""
    _require(actor, "sales.view_document", document)
    if document.kind not in (DocumentKind.OFFER, DocumentKind.INVOICE):
        raise SalesError("wrong_kind")
    return document_create(actor=actor, kind=document.kind, data=_copy_header(document),
                           lines=_copy_lines(document), door=door)


def deal_offer_create(*, deal, actor, door: str = "ui") -> Document:
    """A draft offer for a deal: its company and first contact, one line with the deal's amount."""
    _require(actor, "deals.view_deal", deal)
    contact = deal.contacts.first() if hasattr(deal, "contacts") else None
    lines = []
    if deal.amount:
        lines.append({"description": deal.title, "quantity": Decimal("1"), "unit_price": deal.amount,
                      "tax_rates": list(TaxRate.objects.filter(is_default=True, is_active=True).values_list("pk", flat=True))})
    data = {"deal": deal, "company": deal.company, "contact": contact}
    if getattr(deal, "currency", ""):
        data["currency"] = deal.currency
    return document_create(actor=actor, kind=DocumentKind.OFFER, data=data, lines=lines, door=door)


def invoice_void(*, document: Document, actor, reason: str, door: str = "ui") -> Document:
    """Void an issued invoice that nothing was paid or credited on; its number stays used."""
    _require(actor, "sales.void_document", document)
    reason = (reason or "").strip()[:200]
    with transaction.atomic(), history_context(actor, door):
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.kind != DocumentKind.INVOICE:
            raise SalesError("wrong_kind")
        if (document.status not in OPEN_INVOICE or document.amount_credited != 0
                or document.payments.exists()):  # paid, even if refunded since: credit it instead
            raise SalesError("wrong_status")
        document.status = S.VOID
        document.voided_at = timezone.now()
        document.void_reason = reason
        document.save(update_fields=["status", "voided_at", "void_reason", "updated_at"])
        _event(document, "invoice_voided", actor, reason=reason)
    return document


def credit_note_create(*, invoice: Document, actor, lines: list[dict] | None = None, door: str = "ui") -> Document:
    """A draft credit note for an issued invoice: all of its lines unless others are given."""
    _require(actor, "sales.void_document", invoice)
    if invoice.kind != DocumentKind.INVOICE:
        raise SalesError("wrong_kind")
    if invoice.status not in (*OPEN_INVOICE, S.PAID):
        raise SalesError("wrong_status")
    header = _copy_header(invoice)
    cleaned = _clean_lines(lines if lines is not None else _copy_lines(invoice))
    with transaction.atomic(), history_context(actor, door):
        note = Document(kind=DocumentKind.CREDIT_NOTE, credited_document=invoice, owner=actor, created_by=actor,
                        **{k: v for k, v in header.items() if k not in ("notes",)})
        note.currency = invoice.currency
        note.save()
        _write_lines(note, cleaned)
        note.save(update_fields=["subtotal", "discount_total", "net_total", "tax_total", "total", "tax_breakdown"])
    return note


def invoice_settle(invoice: Document, *, today: date | None = None) -> Document:
    """Put an invoice's status in line with what was paid and credited and its due date.
    Caller holds the invoice's row lock."""
    if invoice.kind != DocumentKind.INVOICE or invoice.status in (S.DRAFT, S.VOID):
        return invoice
    today = today or timezone.localdate()
    balance = invoice.balance
    if balance <= 0:
        status = S.PAID
    elif invoice.due_date and invoice.due_date < today:
        status = S.OVERDUE
    elif invoice.amount_paid > 0 or invoice.amount_credited > 0:
        status = S.PARTIALLY_PAID
    else:
        status = S.ISSUED
    if status == S.PAID and invoice.paid_at is None:
        invoice.paid_at = timezone.now()
    elif status != S.PAID:
        invoice.paid_at = None
    invoice.status = status
    invoice.save(update_fields=["status", "amount_paid", "amount_credited", "paid_at", "updated_at"])
    return invoice


def invoices_mark_overdue(*, today: date | None = None) -> int:
    """Open invoices past their due date become overdue (the daily job); returns how many."""
    today = today or timezone.localdate()
    return Document.objects.filter(kind=DocumentKind.INVOICE, status__in=[S.ISSUED, S.PARTIALLY_PAID],
                                   due_date__lt=today).update(status=S.OVERDUE, updated_at=timezone.now())
