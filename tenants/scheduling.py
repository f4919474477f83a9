"""Due work across all workspaces: an index in the public schema, dispatched by beat.

A service schedules work inside a workspace:      job_schedule(kind="task_reminder", object_id=7, due_at=...)
An app registers the task that does it:           job_handler("task_reminder")(my_task)
Every minute beat runs scheduled_jobs_dispatch_task, which claims the due rows
(SKIP LOCKED), groups them by workspace and sends each handler its ids in that
workspace's schema. A row is deleted by the handler when done (job_done); a row
dispatched but not done is sent again after DISPATCH_RETRY, so a lost message or a
Redis outage delays work and loses none. Handlers must be idempotent.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .models import ScheduledJob, Tenant

logger = logging.getLogger(__name__)
DISPATCH_RETRY = timedelta(minutes=10)
BATCH = 500
_handlers: dict[str, object] = {}


def job_handler(kind: str):
    """Register the Celery task that handles `kind` (called with object_ids=[...])."""

    def register(task):
        _handlers[kind] = task
        return task

    return register


def job_schedule(*, kind: str, object_id: int, due_at) -> None:
    """Schedule (or move) the `kind` work for `object_id` of the current workspace."""
    tenant = connection.tenant
    ScheduledJob.objects.update_or_create(
        tenant_id=tenant.pk, kind=kind, object_id=object_id, defaults={"due_at": due_at, "dispatched_at": None}
    )


def job_cancel(*, kind: str, object_id: int) -> None:
    ScheduledJob.objects.filter(tenant_id=connection.tenant.pk, kind=kind, object_id=object_id).delete()


def job_done(*, kind: str, object_ids) -> None:
    ScheduledJob.objects.filter(tenant_id=connection.tenant.pk, kind=kind, object_id__in=list(object_ids)).delete()


def scheduled_jobs_dispatch(*, now=None) -> int:
    """Send every due job to its handler, in its workspace's schema. Returns how many."""
    from .queueing import task_enqueue_on_commit

    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            ScheduledJob.objects.select_for_update(skip_locked=True)
            .filter(due_at__lte=now)
            .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lte=now - DISPATCH_RETRY))
            .order_by("due_at")[:BATCH]
        )
        if not due:
            return 0
        ScheduledJob.objects.filter(pk__in=[job.pk for job in due]).update(dispatched_at=now)
        groups = defaultdict(list)
        for job in due:
            groups[(job.tenant_id, job.kind)].append(job.object_id)
        schemas = dict(Tenant.objects.filter(pk__in={t for t, _k in groups}).values_list("pk", "schema_name"))
        for (tenant_id, kind), ids in groups.items():
            handler = _handlers.get(kind)
            if handler is None or tenant_id not in schemas:
                logger.error("No handler for scheduled %s in tenant %s", kind, tenant_id)
                continue
            task_enqueue_on_commit(handler, object_ids=ids, in_schema=schemas[tenant_id])
    return len(due)
