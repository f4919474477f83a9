"""Background work of sales documents: the daily job of each workspace (see
services/daily.py), dispatched by tenants.scheduling in the workspace's schema."""

from config.celery import app
from tenants.scheduling import job_handler

from .services.daily import DAILY, sales_daily_run, sales_daily_schedule_all


@job_handler(DAILY)
@app.task
def sales_daily_task(object_ids) -> None:
    # Idempotent: expiry and overdue are conditional updates, reminders are claimed once.
    sales_daily_run()


@app.task
def sales_daily_schedule_task() -> None:
    sales_daily_schedule_all()
