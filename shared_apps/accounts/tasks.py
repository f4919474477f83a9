from config.celery import app

from .services.handoff import used_tokens_cleanup
from .services.sessions import sessions_cleanup


@app.task
def accounts_cleanup_task() -> None:
    used_tokens_cleanup()
    sessions_cleanup()
