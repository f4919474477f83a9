"""Queueing Celery tasks from inside a transaction, in the right schema.

tenant-schemas-celery reads the schema from the connection when the task is *sent*;
an on_commit callback can fire after the caller has left the tenant's schema, so the
schema is captured when the caller asks and passed explicitly.
"""

import logging

from django.db import connection, transaction

logger = logging.getLogger(__name__)


def task_enqueue_on_commit(task, *args, in_schema: str | None = None, **kwargs) -> None:
    """Send `task` after the current transaction commits, in the caller's schema
    (or `in_schema`, e.g. "public" for platform-level work).

    A broker outage is logged, not raised: callers keep a durable record (outbox rows,
    sweeps) for anything that must not be lost.
    """
    schema_name = in_schema or connection.schema_name

    def send():
        try:
            task.apply_async(args=args, kwargs=kwargs, headers={"_schema_name": schema_name})
        except Exception:
            logger.warning("Could not queue %s in %s", task.name, schema_name, exc_info=True)

    transaction.on_commit(send)
