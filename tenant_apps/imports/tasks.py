"""Background work of imports, in the schema the job was queued from."""

from config.celery import app

from .services import import_job_run


@app.task
def import_run_task(job_id: int) -> None:
    # Idempotent: only a queued job is claimed (see import_job_run).
    import_job_run(job_id=job_id)
