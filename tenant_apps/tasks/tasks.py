"""Background work of tasks: the due-time reminders, dispatched by
tenants.scheduling (Celery beat, every minute) in the task's workspace schema."""

from config.celery import app
from tenants.scheduling import job_handler

from .services import REMINDER, task_reminders_send


@job_handler(REMINDER)
@app.task
def task_reminders_send_task(object_ids) -> None:
    # Idempotent: each reminder is claimed once in the database (see task_reminders_send).
    task_reminders_send(task_ids=object_ids)
