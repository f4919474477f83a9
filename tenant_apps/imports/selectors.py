"""Reading imports: the list of past jobs, one job, a preview of its first rows."""

from django.core.files.storage import default_storage

from .files import FileInfo, rows_read
from .models import ImportJob

PREVIEW_ROWS = 20


def import_jobs_list(*, limit: int = 100):
    """The latest imports, newest first (who started and who undid them included)."""
    return ImportJob.objects.select_related("created_by", "undone_by").order_by("-created_at", "-pk")[:limit]


def import_job_get(*, pk: int) -> ImportJob:
    """A job of this workspace (another workspace's ids do not exist in its schema)."""
    return ImportJob.objects.select_related("created_by", "undone_by").get(pk=pk)


def import_job_status(job: ImportJob) -> dict:
    """The small JSON the progress bar polls."""
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "percent": job.percent,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "created": job.created_count,
        "updated": job.updated_count,
        "failed": job.failed_count,
        "message": job.message,
        "finished": not job.is_running and job.status != ImportJob.Status.UPLOADED,
        "has_error_report": bool(job.error_report_path),
    }


def import_preview(job: ImportJob, *, limit: int = PREVIEW_ROWS) -> list:
    """The first rows cleaned as the import will clean them (create or update known,
    duplicates inside those rows found)."""
    from .services import rows_clean

    info = FileInfo(job.file_format, encoding=job.encoding, delimiter=job.delimiter)
    with default_storage.open(job.file_path, "rb") as stream:
        rows = list(rows_read(stream, info, limit=limit + 1))[1:]
    return rows_clean(job, rows)
