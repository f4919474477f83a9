"""Payment reminders on the workspace's schedule: one e-mail per invoice and step however
often (or concurrently) the daily job runs, only the most recent due step after a late
run, on the invoice's timelines."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tenant_apps.activities.models import Activity
from tenant_apps.sales.models import Document, PaymentReminder, SalesSettings
from tenant_apps.sales.services.payments import payment_record
from tenant_apps.sales.services.reminders import payment_reminders_send, reminder_step_due, reminder_steps
from tenant_apps.templates.models import Template, TemplateVersion
from tests.sales_send.conftest import overdue

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(in_acme):
    SalesSettings.objects.update_or_create(pk=1, defaults={"reminder_days": [3, 7, 14]})


def _reminders(messages):
    return [m for m in messages if "Напомняне" in str(m["Subject"]) or "reminder" in str(m["Subject"]).lower()]


def test_run_twice_one_email_per_step(schedule, overdue_invoice, mailbox):
    # given an invoice 10 days overdue (steps 3 and 7 have come, 14 not yet)
    today = timezone.localdate()
    # when the job runs twice the same day
    first = payment_reminders_send(today=today)
    second = payment_reminders_send(today=today)
    # then one reminder went out, for the 7-day step only
    assert [r.days_after_due for r in first] == [7] and second == []
    [message] = _reminders(mailbox())
    assert overdue_invoice.number in str(message["Subject"])
    assert "10 days" in message.get_body(("plain",)).get_content()
    assert [p.get_content_type() for p in message.iter_attachments()] == ["application/pdf"]
    # when days pass, the next step goes out once
    later = today + timedelta(days=4)
    assert [r.days_after_due for r in payment_reminders_send(today=later)] == [14]
    assert payment_reminders_send(today=later) == []
    assert payment_reminders_send(today=later + timedelta(days=30)) == []
    assert len(_reminders(mailbox())) == 2
    assert list(PaymentReminder.objects.values_list("days_after_due", flat=True)) == [7, 14]


def test_a_late_first_run_sends_only_the_most_recent_step(schedule, owner, draft_invoice, mailbox):
    overdue(draft_invoice, owner, 40)
    sent = payment_reminders_send(today=timezone.localdate())
    assert [r.days_after_due for r in sent] == [14]
    assert len(_reminders(mailbox())) == 1


def test_the_reminder_goes_to_the_customer_with_replies_to_the_owner(schedule, owner, overdue_invoice, mailbox):
    from email.utils import parseaddr

    payment_reminders_send(today=timezone.localdate())
    [message] = _reminders(mailbox())
    assert parseaddr(str(message["To"]))[1] == "ivan@initech.example"
    assert parseaddr(str(message["Reply-To"]))[1] == owner.email
    assert parseaddr(str(message["From"])) == ("Acme Ltd", "no-reply@tessera.localhost")
    assert PaymentReminder.objects.get().sent_to == "ivan@initech.example"


def test_the_reminder_is_on_the_invoices_timelines(schedule, overdue_invoice):
    payment_reminders_send(today=timezone.localdate())
    event = Activity.objects.get(event="payment_reminder_sent")
    assert event.data["days_after_due"] == 7 and event.data["days_overdue"] == 10
    assert event.data["to"] == ["ivan@initech.example"]
    assert event.company_id == overdue_invoice.company_id and event.contact_id == overdue_invoice.contact_id


def test_a_second_runner_waiting_on_the_lock_sends_nothing(schedule, overdue_invoice, mailbox):
    # given a run that has claimed the step (its row written) but not finished
    PaymentReminder.objects.create(document=overdue_invoice, days_after_due=7, sent_to="ivan@initech.example")
    # when another run gets there (it sees the claim; the unique pair refuses a second row)
    assert payment_reminders_send(today=timezone.localdate()) == []
    with pytest.raises(Exception), transaction.atomic():
        PaymentReminder.objects.create(document=overdue_invoice, days_after_due=7)
    # then nothing went out twice
    assert _reminders(mailbox()) == []


def test_an_invoice_not_yet_due_gets_no_reminder(schedule, issued_invoice, mailbox):
    assert payment_reminders_send(today=timezone.localdate()) == []
    assert mailbox() == []


def test_a_paid_invoice_gets_no_reminder(schedule, owner, overdue_invoice, mailbox):
    payment_record(invoice=overdue_invoice, actor=owner, amount=overdue_invoice.total)
    assert payment_reminders_send(today=timezone.localdate()) == []
    assert mailbox() == []


def test_no_schedule_no_reminders(in_acme, overdue_invoice, mailbox):
    assert payment_reminders_send(today=timezone.localdate()) == []
    assert mailbox() == []


def test_a_broken_reminder_template_records_nothing_and_tries_again(schedule, overdue_invoice, mailbox):
    template = Template.objects.create(kind="email", name="reminder", language="en")
    TemplateVersion.objects.create(template=template, number=1, subject="Pay {{ nothing.at.all() }}", html="x")
    assert payment_reminders_send(today=timezone.localdate()) == []
    assert not PaymentReminder.objects.exists() and mailbox() == []
    # once fixed, the next run sends it
    TemplateVersion.objects.create(template=template, number=2, subject="Reminder {{ document.number }}",
                                   html="<p>{{ document.balance }}</p>")
    assert len(payment_reminders_send(today=timezone.localdate())) == 1
    assert len(mailbox()) == 1


def test_a_bulgarian_invoice_is_reminded_in_bulgarian(schedule, owner, company, contact, mailbox):
    from tenant_apps.sales.services.documents import document_create

    overdue(document_create(
        actor=owner, kind="invoice", data={"company": company, "contact": contact, "currency": "BGN", "language": "bg"},
        lines=[{"description": "Услуга", "quantity": "1", "unit_price": "100"}]), owner, 3)
    payment_reminders_send(today=timezone.localdate())
    [message] = mailbox()
    assert str(message["Subject"]).strip().startswith("Напомняне")
    assert "просрочена с 3 дни" in message.get_body(("plain",)).get_content()


@pytest.mark.parametrize("raw, steps", [
    ([3, 7, 14], [3, 7, 14]), ([14, "7", 3, 3], [3, 7, 14]), ([0, -1, 400, "x", None, 2.5, "5"], [5]), ("3,7", []),
])
def test_the_schedule_is_read_defensively(raw, steps):
    assert reminder_steps(raw) == steps


def test_the_most_recent_step_whose_day_has_come():
    from datetime import date

    due = date(2026, 3, 1)
    assert reminder_step_due(due_date=due, today=date(2026, 3, 3), steps=[3, 7]) is None
    assert reminder_step_due(due_date=due, today=date(2026, 3, 4), steps=[3, 7]) == 3
    assert reminder_step_due(due_date=due, today=date(2026, 4, 4), steps=[3, 7]) == 7
    assert connection.schema_name == "public"
