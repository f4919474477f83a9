"""The outbox: enqueue in the caller's transaction, deliver exactly once where we can.

A message row is written in the same transaction as the change that caused it, and the
delivery task is queued only after that transaction commits. If Redis is down the task is
not queued; the sweep (Celery beat, and `manage.py outbox_sweep`) picks the row up later.
Each message carries its id as Message-ID, so a receiver can drop a duplicate delivery.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from tenants.queueing import task_enqueue_on_commit

from .models import OutboxMessage
from .serialization import email_to_payload, payload_to_email

logger = logging.getLogger(__name__)


def outbox_email_enqueue(*, message) -> OutboxMessage:
    """Store `message` for delivery; the send is queued once the transaction commits."""
    row = OutboxMessage(kind="email", schema_name=connection.schema_name)
    message.extra_headers.setdefault("Message-ID", f"<{row.id}@tessera.outbox>")
    row.payload = email_to_payload(message)
    row.save()
    _meter(message)
    from .tasks import outbox_deliver_task

    # If the broker is unreachable the sweep delivers the row later.
    task_enqueue_on_commit(outbox_deliver_task, str(row.id), in_schema="public")
    return row


def _meter(message) -> None:
    """Count a message written in a workspace's schema towards its monthly e-mails (one
    per recipient), in
    the same transaction as the row (a rolled-back send is not counted). Mail already
    counted by its sender (billing.entitlements.usage_record_emails, enforced) says so
    with `usage_counted`; the rest is the platform's own mail about the workspace
    (invitations, reminders), counted but never refused."""
    tenant = getattr(connection, "tenant", None)
    if getattr(message, "usage_counted", False) or tenant is None or not getattr(tenant, "pk", None):
        return
    if connection.schema_name == get_public_schema_name():
        return
    from billing.entitlements import usage_record_emails

    # Per recipient, as providers count them: one message to three people is three e-mails.
    usage_record_emails(tenant=tenant, n=len(message.recipients()), enforce=False)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


def outbox_deliver(*, message_id) -> bool:
    """Deliver one pending message. True if it was sent by this call."""
    with transaction.atomic():
        row = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
            .first()
        )
        if row is None:
            return False  # sent already, failed for good, or another worker has it
        row.attempts += 1
        try:
            backend = get_connection(settings.OUTBOX_DELIVERY_BACKEND, fail_silently=False)
            payload_to_email(row.payload, connection=backend).send()
        except Exception as exc:
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                row.status = OutboxMessage.Status.FAILED
                logger.error("Outbox message %s failed for good: %s", row.pk, row.last_error)
            else:
                row.next_attempt_at = timezone.now() + _backoff(row.attempts)
            row.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return False
        row.status = OutboxMessage.Status.SENT
        row.sent_at = timezone.now()
        row.last_error = ""
        row.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return True


def outbox_sweep(*, older_than_seconds: int = 60, limit: int = 500) -> int:
    """Deliver pending messages whose task was lost or whose retry is due. Returns sends."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    due = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.PENDING, next_attempt_at__lte=timezone.now(), created_at__lte=cutoff
    ).values_list("pk", flat=True)[:limit]
    return sum(1 for message_id in list(due) if outbox_deliver(message_id=message_id))
