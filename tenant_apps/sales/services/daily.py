"""The daily sales job of a workspace: offers expire, invoices become overdue, payment
reminders go out. It runs at DAILY_HOUR in the workspace's own time zone, through
tenants.scheduling (one ScheduledJob row per workspace, moved to the next morning
after each run, re-dispatched if a run is lost). Every step is idempotent, so a run
repeated (a retry, a second dispatch) changes and sends nothing more."""

import logging
from datetime import datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from tenants.models import ScheduledJob, Tenant
from tenants.scheduling import job_schedule

from .documents import invoices_mark_overdue, offers_expire
from .reminders import payment_reminders_send

logger = logging.getLogger(__name__)
DAILY = "sales_daily"
# Local time of the run: reminders reach customers in their morning, not at midnight.
DAILY_HOUR = 6


def next_daily_run(*, now: datetime, zone) -> datetime:
    """The next DAILY_HOUR o'clock in `zone` strictly after `now`."""
    local = timezone.localtime(now, zone)
    run = datetime.combine(local.date(), time(DAILY_HOUR), tzinfo=zone)
    if run <= local:
        run = datetime.combine(local.date() + timedelta(days=1), time(DAILY_HOUR), tzinfo=zone)
    return run


def sales_daily(*, today) -> dict:
    """The three daily steps for the current workspace and its local `today`."""
    return {
        "offers_expired": offers_expire(today=today),
        "invoices_overdue": invoices_mark_overdue(today=today),
        "reminders_sent": len(payment_reminders_send(today=today)),
    }


def sales_daily_run(*, now: datetime | None = None) -> dict:
    """The daily job of the current workspace, then its next run booked for tomorrow morning."""
    from tenant_apps.workspace.selectors import workspace_timezone

    now = now or timezone.now()
    zone = workspace_timezone()
    tenant = connection.tenant
    result = {}
    try:
        if not tenant.is_suspended:  # a suspended workspace sends nothing; it catches up when resumed
            result = sales_daily(today=timezone.localtime(now, zone).date())
            logger.info("Sales daily job in %s: %s", tenant.schema_name, result)
    except Exception:
        # Tomorrow's run is booked all the same: a failure must not turn into a job that
        # refires every few minutes (every step is idempotent, so tomorrow catches up).
        logger.exception("Sales daily job in %s failed", tenant.schema_name)
    job_schedule(kind=DAILY, object_id=0, due_at=next_daily_run(now=now, zone=zone))
    return result


def sales_daily_schedule_all(*, now: datetime | None = None) -> int:
    """Make sure every ready workspace has its daily job booked (public schema, beat).
    A workspace without one gets it now; the run then books the next morning's."""
    now = now or timezone.now()
    tenant_ids = list(Tenant.objects.filter(is_ready=True).values_list("pk", flat=True))
    created = ScheduledJob.objects.bulk_create(
        [ScheduledJob(tenant_id=pk, kind=DAILY, object_id=0, due_at=now) for pk in tenant_ids], ignore_conflicts=True,
    )
    return len(created)
