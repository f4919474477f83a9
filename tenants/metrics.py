"""Per-workspace numbers for the console. Apps register the record types they own:

    record_count_register("contacts", _("Contacts"), "contacts.Contact")
"""

import os

from django.apps import apps
from django.db import connection

from .models import Tenant

_counted: dict[str, tuple[object, str]] = {}


def record_count_register(key: str, label, model_label: str) -> None:
    _counted[key] = (label, model_label)


def tenant_record_counts(tenant: Tenant) -> dict:
    """Exact counts of registered record types, and the estimated rows of all tables."""
    counts = []
    previous = connection.tenant
    connection.set_tenant(tenant)
    try:
        for label, model_label in _counted.values():
            counts.append((label, apps.get_model(model_label).objects.count()))
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT COALESCE(SUM(GREATEST(c.reltuples, 0)), 0)::bigint FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = %s AND c.relkind = 'r' AND c.relname <> 'django_migrations'
                """,
                [tenant.schema_name],
            )
            estimated_rows = cursor.fetchone()[0]
    finally:
        connection.set_tenant(previous)
    return {"counts": counts, "estimated_rows": estimated_rows}


def tenant_file_bytes(tenant: Tenant) -> int:
    from .services.lifecycle import tenant_media_root

    root = tenant_media_root(tenant)
    total = 0
    for directory, _dirs, files in os.walk(root):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(directory, name))
            except OSError:
                pass
    return total
