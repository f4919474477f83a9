"""The daily sales job: booked per workspace in the public index (tenants.scheduling),
run at the workspace's local morning in its schema, idempotent, then booked again."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tenant_apps.sales.models import Document, PaymentReminder, SalesSettings
from tenant_apps.sales.services.daily import DAILY, next_daily_run, sales_daily_run, sales_daily_schedule_all
from tenant_apps.sales.services.documents import offer_mark_sent
from tenant_apps.sales.tasks import sales_daily_task
from tenant_apps.workspace.selectors import workspace_timezone
from tenants import scheduling
from tenants.models import ScheduledJob

pytestmark = pytest.mark.django_db


def dispatch(tenant, capture):
    """One beat tick: the dispatcher in the public schema, its queued handlers after commit."""
    connection.set_schema_to_public()
    with capture(execute=True), transaction.atomic():
        count = scheduling.scheduled_jobs_dispatch()
    connection.set_tenant(tenant)
    return count


def test_the_handler_is_registered():
    assert scheduling._handlers[DAILY] is sales_daily_task


def test_every_ready_workspace_gets_its_daily_job_once(tenant_a, tenant_b):
    connection.set_schema_to_public()
    assert sales_daily_schedule_all() == 2
    sales_daily_schedule_all()
    assert set(ScheduledJob.objects.filter(kind=DAILY).values_list("tenant_id", flat=True)) == {tenant_a.pk, tenant_b.pk}
    assert ScheduledJob.objects.filter(kind=DAILY).count() == 2


def test_a_run_expires_offers_marks_overdue_and_reminds(in_acme, owner, draft_offer, issued_invoice, mailbox):
    # given a sent offer valid 30 days, an invoice due in 14 days, reminders after 3, 7 and 14 days
    SalesSettings.objects.filter(pk=1).update(reminder_days=[3, 7, 14])
    offer = offer_mark_sent(document=draft_offer, actor=owner)
    # when the job runs 40 days from now, twice
    later = timezone.now() + timedelta(days=40)
    first = sales_daily_run(now=later)
    second = sales_daily_run(now=later)
    # then the offer expired, the invoice is overdue, one reminder (the latest step) went out
    assert first == {"offers_expired": 1, "invoices_overdue": 1, "reminders_sent": 1}
    assert second == {"offers_expired": 0, "invoices_overdue": 0, "reminders_sent": 0}
    assert Document.objects.get(pk=offer.pk).status == "expired"
    assert Document.objects.get(pk=issued_invoice.pk).status == "overdue"
    assert list(PaymentReminder.objects.values_list("days_after_due", flat=True)) == [14]
    assert len(mailbox()) == 1
    # and the next run is booked for the next morning
    job = ScheduledJob.objects.get(tenant=in_acme, kind=DAILY)
    assert job.dispatched_at is None and job.due_at == next_daily_run(now=later, zone=workspace_timezone())
    assert job.due_at.astimezone(workspace_timezone()).hour == 6


def test_dispatched_by_beat_in_the_workspace_schema(in_acme, owner, issued_invoice,
                                                    django_capture_on_commit_callbacks):
    # given the daily job due now and an invoice that is past due
    Document.objects.filter(pk=issued_invoice.pk).update(status="issued")
    ScheduledJob.objects.create(tenant=in_acme, kind=DAILY, object_id=0, due_at=timezone.now())
    # when beat ticks
    assert dispatch(in_acme, django_capture_on_commit_callbacks) == 1
    # then the job ran in acme (its next run is booked for tomorrow morning) and is not due again today
    job = ScheduledJob.objects.get(tenant=in_acme, kind=DAILY)
    assert job.due_at > timezone.now() and job.dispatched_at is None
    assert dispatch(in_acme, django_capture_on_commit_callbacks) == 0


def test_a_suspended_workspace_sends_nothing_but_keeps_its_booking(in_acme, owner, overdue_invoice, mailbox):
    SalesSettings.objects.filter(pk=1).update(reminder_days=[3])
    in_acme.status = "suspended"
    assert sales_daily_run() == {}
    assert mailbox() == [] and not PaymentReminder.objects.exists()
    assert ScheduledJob.objects.filter(tenant=in_acme, kind=DAILY).exists()


def test_the_next_run_is_six_in_the_morning_local_time_across_a_clock_change():
    sofia = ZoneInfo("Europe/Sofia")
    # 28 March 2026 noon in Sofia (UTC+2); clocks go forward that night
    now = datetime(2026, 3, 28, 10, 0, tzinfo=UTC)
    run = next_daily_run(now=now, zone=sofia)
    assert run.astimezone(sofia).hour == 6 and run.astimezone(sofia).day == 29
    assert run.astimezone(UTC) == datetime(2026, 3, 29, 3, 0, tzinfo=UTC)  # UTC+3 by then
    # before six it is the same morning
    early = datetime(2026, 3, 28, 2, 0, tzinfo=UTC)  # 04:00 in Sofia
    assert next_daily_run(now=early, zone=sofia).astimezone(sofia).day == 28
