"""The warm pool of spare schemas.

Signup claims a spare with ALTER SCHEMA ... RENAME inside its own transaction
(milliseconds); the pool is refilled in the background. A spare made from an older
migration state than the template's is never claimed and is dropped on refill.
"""

import logging
import secrets

from django.conf import settings
from django.db import connection, transaction

from ..models import SpareSchema
from ..postgres import quote_ident
from .cloning import schema_clone
from .template import template_fingerprint

logger = logging.getLogger(__name__)

_REFILL_LOCK = 0x7E55E4A1  # pg advisory lock id: one refill at a time


def spare_claim(*, target: str) -> bool:
    """Rename a current spare to `target` in the caller's transaction. False if none."""
    fingerprint = template_fingerprint()
    if fingerprint is None:
        return False
    spare = (
        SpareSchema.objects.select_for_update(skip_locked=True)
        .filter(fingerprint=fingerprint)
        .order_by("created_at")
        .first()
    )
    if spare is None:
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER SCHEMA {quote_ident(spare.schema_name)} RENAME TO {quote_ident(target)}")
    spare.delete()
    return True


def spare_pool_refill(*, size: int | None = None) -> int:
    """Drop stale spares and create new ones up to `size`. Returns how many were made."""
    size = settings.TENANT_SPARE_POOL_SIZE if size is None else size
    fingerprint = template_fingerprint()
    if fingerprint is None:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_REFILL_LOCK])
        if not cursor.fetchone()[0]:
            return 0
    try:
        for stale in SpareSchema.objects.exclude(fingerprint=fingerprint):
            with transaction.atomic():
                locked = SpareSchema.objects.select_for_update(skip_locked=True).filter(pk=stale.pk).first()
                if locked is None:
                    continue
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP SCHEMA IF EXISTS {quote_ident(locked.schema_name)} CASCADE")
                locked.delete()
        made = 0
        while SpareSchema.objects.filter(fingerprint=fingerprint).count() < size:
            name = f"spare_{secrets.token_hex(6)}"
            with transaction.atomic():
                schema_clone(name)
                SpareSchema.objects.create(schema_name=name, fingerprint=fingerprint)
            made += 1
        return made
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_REFILL_LOCK])
