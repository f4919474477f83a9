"""Payment reminders of overdue invoices, on the workspace's schedule (days after due).

Exactly once per invoice and step: the PaymentReminder row (unique per invoice and step)
is inserted in the same transaction as the reminder's outbox e-mail and timeline entry,
under the invoice's row lock. A second run, or a racing one, finds the row (or fails to
insert it) and sends nothing.

A late run does not send a burst: only the most recent step whose day has come goes out,
and the earlier steps it skipped are never sent later (a reminder saying 14 days after a
reminder saying 7 days, on the same morning, helps nobody)."""

import logging
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..emails import document_email
from ..errors import SalesError
from ..models import Document, DocumentKind, DocumentStatus, PaymentReminder
from ..selectors import sales_settings
from .documents import _event
from .sending import addresses_clean, document_message

logger = logging.getLogger(__name__)
S = DocumentStatus
MAX_DAYS = 365


def reminder_steps(raw=None) -> list[int]:
    """The schedule as sorted whole days between 1 and 365; anything else is ignored."""
    raw = sales_settings().reminder_days if raw is None else raw
    steps = set()
    for value in raw if isinstance(raw, list | tuple) else ():
        try:
            day = int(value)
        except (TypeError, ValueError):
            continue
        if str(day) == str(value).strip() and 1 <= day <= MAX_DAYS:
            steps.add(day)
    return sorted(steps)


def reminder_step_due(*, due_date: date, today: date, steps: list[int]) -> int | None:
    """The most recent step whose day has come, or None."""
    passed = [step for step in steps if due_date + timedelta(days=step) <= today]
    return passed[-1] if passed else None


def _recipient(invoice: Document) -> str:
    candidates = [(invoice.customer or {}).get("email", "")]
    if invoice.contact is not None:
        candidates.append(invoice.contact.email)
    for address in candidates:
        try:
            found = addresses_clean([address], field="to")
        except SalesError:
            continue
        if found:
            return found[0]
    return ""


def payment_reminder_send(*, invoice: Document, step: int, today: date) -> PaymentReminder | None:
    """Send the `step` reminder of `invoice` unless it went out already (or cannot go out)."""
    recipient = _recipient(invoice)
    if not recipient:
        logger.info("Invoice %s is overdue but has no customer e-mail address to remind", invoice.pk)
        return None
    try:
        with transaction.atomic():
            invoice = Document.objects.select_for_update(of=("self",)).select_related("owner", "contact").get(pk=invoice.pk)
            if invoice.status != S.OVERDUE or invoice.balance <= 0:
                return None
            try:
                with transaction.atomic():
                    reminder = PaymentReminder.objects.create(document=invoice, days_after_due=step, sent_to=recipient)
            except IntegrityError:
                return None  # another run sent this step
            days_overdue = (today - invoice.due_date).days
            subject, html, text = document_email(document=invoice, purpose="reminder", days_overdue=days_overdue)
            owner_email = invoice.owner.email if invoice.owner is not None and invoice.owner.is_active else ""
            document_message(document=invoice, to=[recipient], cc=[], subject=subject, html=html, text=text,
                             reply_to=[owner_email], attach_pdf=True).send()
            _event(invoice, "payment_reminder_sent", None, to=[recipient], days_after_due=step,
                   days_overdue=days_overdue, balance=str(invoice.balance))
    except SalesError as exc:
        # A broken reminder template: nothing is recorded, the next run tries again.
        logger.warning("Reminder of invoice %s not sent: %s", invoice.pk, exc.message)
        return None
    return reminder


def payment_reminders_send(*, today: date | None = None) -> list[PaymentReminder]:
    """Every overdue invoice's due reminder that has not gone out yet (the daily job)."""
    today = today or timezone.localdate()
    steps = reminder_steps()
    if not steps:
        return []
    invoices = (
        Document.objects.filter(kind=DocumentKind.INVOICE, status=S.OVERDUE,
                                due_date__lte=today - timedelta(days=steps[0]))
        .select_related("contact")
        .prefetch_related("reminders")
        .order_by("pk")
    )
    sent = []
    for invoice in invoices:
        step = reminder_step_due(due_date=invoice.due_date, today=today, steps=steps)
        if step is None or any(r.days_after_due >= step for r in invoice.reminders.all()):
            continue
        try:
            reminder = payment_reminder_send(invoice=invoice, step=step, today=today)
        except Exception:
            # One invoice whose PDF or e-mail cannot be made (a template that fails on this
            # document only) must not cost every later invoice its reminder: its transaction
            # rolled back, so the next run tries it again.
            logger.exception("Reminder of invoice %s failed; carrying on with the others", invoice.pk)
            continue
        if reminder is not None:
            sent.append(reminder)
    return sent
