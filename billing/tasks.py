from config.celery import app

from .services import billing_sweep


@app.task
def billing_sweep_task() -> dict:
    """Periodic (beat): ends expired trials and passed grace periods."""
    return billing_sweep()
