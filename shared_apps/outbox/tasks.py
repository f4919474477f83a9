from config.celery import app

from .services import outbox_deliver, outbox_sweep


@app.task(bind=True, max_retries=5, default_retry_delay=30)
def outbox_deliver_task(self, message_id: str) -> None:
    outbox_deliver(message_id=message_id)


@app.task
def outbox_sweep_task() -> None:
    outbox_sweep()
