"""Background work of documents: bulk exports, their expiry, the PDF cache sweep. Tasks
run in the schema they were queued from (tenants.queueing / tenants.scheduling)."""

from config.celery import app
from tenant_apps.sales.pdf import CACHE_SWEEP_JOB, pdf_cache_sweep
from tenants.scheduling import job_handler

from .exports import (
    EXPIRE_JOB, WATCH_JOB, document_export_chunk, document_export_run, document_export_zip, document_exports_expire,
    document_exports_watch,
)


@app.task
def document_export_task(export_id: int) -> None:
    # Idempotent: only a queued export is claimed (see document_export_run).
    document_export_run(export_id=export_id)


@app.task
def document_export_chunk_task(export_id: int, index: int) -> None:
    # Idempotent: a chunk is recorded once (see document_export_chunk).
    document_export_chunk(export_id=export_id, index=index)


@app.task
def document_export_zip_task(export_id: int) -> None:
    # A second run rewrites the same file of a still running export; a finished one is left alone.
    document_export_zip(export_id=export_id)


@job_handler(EXPIRE_JOB)
@app.task
def document_exports_expire_task(object_ids) -> None:
    document_exports_expire(export_ids=object_ids)


@job_handler(WATCH_JOB)
@app.task
def document_exports_watch_task(object_ids) -> None:
    document_exports_watch(export_ids=object_ids)


@job_handler(CACHE_SWEEP_JOB)
@app.task
def pdf_cache_sweep_task(object_ids) -> None:
    pdf_cache_sweep()
