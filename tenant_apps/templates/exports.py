"""Bulk export of sales documents as a zip of PDFs, built by a Celery task.

The documents are chosen when the export is asked for (the asker's filters and record
visibility), the worker renders each PDF through tenant_apps.sales.pdf (so cached PDFs
are reused; a large export is rendered in chunks by all worker processes at once, then
zipped from the cache) and writes the zip to tenant-prefixed storage; the export and its file are
deleted EXPORT_TTL later by a scheduled job (tenants.scheduling)."""

import logging
import os
import tempfile
import time
import zipfile
from datetime import date, timedelta

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from shared_apps.accounts.errors import PermissionDeniedError
from shared_apps.accounts.rules import can
from tenants.queueing import task_enqueue_on_commit
from tenants.scheduling import job_done, job_schedule

from .errors import ExportError, TemplateError
from .models import DocumentExport

logger = logging.getLogger(__name__)
EXPORT_TTL = timedelta(hours=24)
EXPORT_LIMIT = 5000
EXPIRE_JOB = "document_export_expire"
# Looks at a running export once it may have gone quiet: one whose worker died (or whose
# chunk failed in a way nothing caught) is marked failed instead of being polled forever.
WATCH_JOB = "document_export_watch"
# Documents per rendering task: small enough that every worker process gets a share.
CHUNK = 25
# Progress is written at most this often (seconds): one UPDATE per PDF would slow a big export.
PROGRESS_EVERY = 0.5
# A running export not heard of for this long lost its worker: it may be claimed again.
STALE_AFTER = timedelta(minutes=10)
FILTER_KEYS = ("kind", "status", "company", "date_from", "date_to")


def _parse_filters(raw) -> dict:
    """The list filters from query parameters: kind, status, company (id), date_from, date_to."""
    from tenant_apps.sales.models import DocumentKind, DocumentStatus

    filters = {}
    kind = (raw.get("kind") or "").strip()
    if kind:
        if kind not in DocumentKind.values:
            raise ExportError("filter_invalid", detail=kind)
        filters["kind"] = kind
    status = (raw.get("status") or "").strip()
    if status:
        if status not in DocumentStatus.values:
            raise ExportError("filter_invalid", detail=status)
        filters["status"] = status
    company = (raw.get("company") or "").strip()
    if company:
        if not company.isdigit():
            raise ExportError("filter_invalid", detail=company)
        filters["company"] = int(company)
    for name in ("date_from", "date_to"):
        value = (raw.get(name) or "").strip()
        if value:
            try:
                filters[name] = date.fromisoformat(value).isoformat()
            except ValueError:
                raise ExportError("filter_invalid", detail=value) from None
    return filters


def export_documents(*, user, filters: dict):
    """The documents of a filtered list that `user` may see, oldest first."""
    from tenant_apps.records.visibility import visible
    from tenant_apps.sales.models import Document

    queryset = visible(Document.objects.all(), user)
    if "kind" in filters:
        queryset = queryset.filter(kind=filters["kind"])
    if "status" in filters:
        queryset = queryset.filter(status=filters["status"])
    if "company" in filters:
        queryset = queryset.filter(company_id=filters["company"])
    if "date_from" in filters:
        queryset = queryset.filter(issue_date__gte=filters["date_from"])
    if "date_to" in filters:
        queryset = queryset.filter(issue_date__lte=filters["date_to"])
    return queryset.order_by("issue_date", "pk")


def document_export_start(*, actor, params) -> DocumentExport:
    """Queue a zip of the PDFs of the documents matching `params` that `actor` may see."""
    if not can(actor, "sales.view_document"):
        raise PermissionDeniedError()
    filters = _parse_filters(params)
    ids = list(export_documents(user=actor, filters=filters).values_list("pk", flat=True)[: EXPORT_LIMIT + 1])
    if not ids:
        raise ExportError("nothing_to_export")
    if len(ids) > EXPORT_LIMIT:
        raise ExportError("too_many", limit=EXPORT_LIMIT)
    from .tasks import document_export_task

    with transaction.atomic():
        running = DocumentExport.objects.filter(created_by=actor, status__in=["queued", "running"],
                                                updated_at__gte=timezone.now() - STALE_AFTER)
        if running.exists():
            raise ExportError("busy")
        export = DocumentExport.objects.create(
            filters=filters, document_ids=ids, total=len(ids), created_by=actor,
            expires_at=timezone.now() + EXPORT_TTL,
        )
        job_schedule(kind=EXPIRE_JOB, object_id=export.pk, due_at=export.expires_at)
        job_schedule(kind=WATCH_JOB, object_id=export.pk, due_at=export.created_at + STALE_AFTER)
        task_enqueue_on_commit(document_export_task, export.pk)
    return export


def _zip_name(document, taken: set) -> str:
    from tenant_apps.sales.pdf import document_pdf_filename

    name = document_pdf_filename(document)
    stem, counter = name.removesuffix(".pdf"), 2
    while name in taken:  # an offer and an invoice may share a number format
        name = f"{stem}-{counter}.pdf"
        counter += 1
    taken.add(name)
    return name


def _documents(ids):
    from tenant_apps.sales.models import Document

    return {
        d.pk: d for d in Document.objects.filter(pk__in=ids)
        .select_related("company", "contact", "credited_document").prefetch_related("lines")
    }


def document_export_run(*, export_id: int) -> None:
    """Start building an export. Idempotent: only a queued export (or a running one whose
    worker was lost) is claimed. A small export is zipped right here; a larger one is
    rendered in chunks by as many workers as there are, then zipped from the PDF cache."""
    now = timezone.now()
    claimable = Q(status=DocumentExport.Status.QUEUED) | Q(status=DocumentExport.Status.RUNNING, updated_at__lt=now - STALE_AFTER)
    claimed = DocumentExport.objects.filter(claimable, pk=export_id).update(
        status=DocumentExport.Status.RUNNING, processed=0, chunks_done=[], updated_at=now
    )
    if not claimed:
        return
    export = DocumentExport.objects.get(pk=export_id)
    if export.total <= CHUNK:
        document_export_zip(export_id=export.pk, track_progress=True)
        return
    from .tasks import document_export_chunk_task

    for index in range(_chunk_count(export)):
        task_enqueue_on_commit(document_export_chunk_task, export.pk, index)


def _chunk_count(export: DocumentExport) -> int:
    return (len(export.document_ids) + CHUNK - 1) // CHUNK


def document_export_chunk(*, export_id: int, index: int) -> None:
    """Render one chunk of an export's documents into the PDF cache, then record it; the
    chunk that completes the set queues the zip. Idempotent: a chunk is counted once."""
    from tenant_apps.sales.pdf import document_pdf

    export = DocumentExport.objects.filter(pk=export_id, status=DocumentExport.Status.RUNNING).first()
    if export is None or index in export.chunks_done:
        return
    ids = export.document_ids[index * CHUNK:(index + 1) * CHUNK]
    try:
        for document in _documents(ids).values():
            document_pdf(document)
    except TemplateError as exc:
        _fail(export, exc.message)
        return
    except Exception:
        # Anything else (WeasyPrint, storage): the export fails visibly, it does not hang
        # with one chunk missing and the zip never queued.
        logger.exception("Chunk %s of document export %s failed", index, export.pk)
        _fail(export, str(ExportError("failed").message))
        return
    with transaction.atomic():
        export = DocumentExport.objects.select_for_update().get(pk=export_id)
        if export.status != DocumentExport.Status.RUNNING or index in export.chunks_done:
            return
        export.chunks_done = sorted([*export.chunks_done, index])
        export.processed = min(export.total, sum(
            len(export.document_ids[i * CHUNK:(i + 1) * CHUNK]) for i in export.chunks_done
        ))
        export.save(update_fields=["chunks_done", "processed", "updated_at"])
        if len(export.chunks_done) == _chunk_count(export):
            from .tasks import document_export_zip_task

            task_enqueue_on_commit(document_export_zip_task, export.pk)


def document_export_zip(*, export_id: int, track_progress: bool = False) -> None:
    """Write the zip of a running export (rendering what the PDF cache does not hold)."""
    from tenant_apps.sales.pdf import document_pdf

    export = DocumentExport.objects.filter(pk=export_id, status=DocumentExport.Status.RUNNING).first()
    if export is None:
        return
    handle, temp_path = tempfile.mkstemp(suffix=".zip")
    os.close(handle)
    try:
        processed, last_write, taken = 0, time.monotonic(), set()
        # PDFs are compressed already: storing them is as small and much faster.
        with zipfile.ZipFile(temp_path, "w", compression=zipfile.ZIP_STORED) as archive:
            for start in range(0, len(export.document_ids), 200):
                chunk = export.document_ids[start:start + 200]
                documents = _documents(chunk)
                for pk in chunk:
                    document = documents.get(pk)
                    if document is not None:  # a draft deleted since: nothing to print
                        archive.writestr(_zip_name(document, taken), document_pdf(document))
                    processed += 1
                    if track_progress and time.monotonic() - last_write >= PROGRESS_EVERY:
                        DocumentExport.objects.filter(pk=export.pk).update(processed=processed, updated_at=timezone.now())
                        last_write = time.monotonic()
                    elif not track_progress and time.monotonic() - last_write >= 30:
                        # The chunks counted the progress already; this is only a sign of life
                        # for the watch (WATCH_JOB), which fails exports quiet for STALE_AFTER.
                        DocumentExport.objects.filter(pk=export.pk).update(updated_at=timezone.now())
                        last_write = time.monotonic()
        path = f"tenants/{connection.schema_name}/exports/documents-{export.pk}.zip"
        with open(temp_path, "rb") as source:
            saved = default_storage.save(path, File(source))
        DocumentExport.objects.filter(pk=export.pk).update(
            status=DocumentExport.Status.DONE, processed=export.total, file_path=saved,
            file_size=default_storage.size(saved), finished_at=timezone.now(), updated_at=timezone.now(),
        )
    except TemplateError as exc:
        _fail(export, exc.message)
    except Exception:
        logger.exception("Document export %s failed", export.pk)
        _fail(export, str(ExportError("failed").message))
        raise
    finally:
        os.unlink(temp_path)


def _fail(export: DocumentExport, message: str) -> None:
    DocumentExport.objects.filter(pk=export.pk).update(
        status=DocumentExport.Status.FAILED, message=message[:500], finished_at=timezone.now(), updated_at=timezone.now(),
    )


def document_exports_expire(*, export_ids) -> None:
    """Delete expired exports and their files (a scheduled job; idempotent)."""
    now = timezone.now()
    for export in DocumentExport.objects.filter(pk__in=list(export_ids)):
        if export.expires_at > now:
            continue
        if export.file_path:
            default_storage.delete(export.file_path)
        export.delete()
    done = set(export_ids) - set(DocumentExport.objects.filter(pk__in=list(export_ids)).values_list("pk", flat=True))
    job_done(kind=EXPIRE_JOB, object_ids=done)


def document_exports_watch(*, export_ids, now=None) -> None:
    """Fail the exports among `export_ids` not heard of for STALE_AFTER (a scheduled job;
    idempotent); look again later at the ones still running."""
    now = now or timezone.now()
    unfinished = [DocumentExport.Status.QUEUED, DocumentExport.Status.RUNNING]
    done = set(export_ids)
    for export in DocumentExport.objects.filter(pk__in=list(export_ids), status__in=unfinished):
        if export.updated_at < now - STALE_AFTER:
            logger.warning("Document export %s went quiet since %s; marked failed", export.pk, export.updated_at)
            DocumentExport.objects.filter(pk=export.pk, status__in=unfinished, updated_at=export.updated_at).update(
                status=DocumentExport.Status.FAILED, message=str(ExportError("stalled").message),
                finished_at=now, updated_at=now,
            )
        else:
            done.discard(export.pk)
            job_schedule(kind=WATCH_JOB, object_id=export.pk, due_at=export.updated_at + STALE_AFTER)
    job_done(kind=WATCH_JOB, object_ids=done)


def export_for(*, user, pk: int) -> DocumentExport | None:
    """An export of `user`'s own (nobody else sees what someone exported)."""
    return DocumentExport.objects.filter(pk=pk, created_by=user).first()


def export_list_for(*, user, limit: int = 10) -> list[DocumentExport]:
    return list(DocumentExport.objects.filter(created_by=user).order_by("-created_at", "-pk")[:limit])


def export_status(export: DocumentExport) -> dict:
    return {
        "status": export.status, "status_label": str(export.get_status_display()), "percent": export.percent,
        "processed": export.processed, "total": export.total, "finished": export.finished,
        "message": export.message,
    }
