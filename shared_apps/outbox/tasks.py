from config.celery import app

from .services import outbox_deliver, outbox_sweep


@app.task
def outbox_deliver_task(message_id: str) -> None:
    # Retries are the outbox's own (backoff on the row, then the sweep), not Celery's.
    outbox_deliver(message_id=message_id)


@app.task
def outbox_sweep_task() -> None:
    outbox_sweep()
