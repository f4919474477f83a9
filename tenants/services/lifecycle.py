"""Suspend, resume and delete workspaces."""

import shutil
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.utils.translation import gettext as _

from shared_apps.audit.models import EventKind
from shared_apps.audit.services import security_event_record

from ..errors import TenantError
from ..hosts import host_cache_invalidate
from ..models import Tenant
from ..postgres import quote_ident


def tenant_suspend(*, tenant: Tenant, reason: str = "", actor=None, request=None) -> Tenant:
    """Stop the workspace's app and portal from serving; nothing is deleted."""
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
        if tenant.is_suspended:
            raise TenantError(_("This workspace is already suspended."), code="already_suspended")
        tenant.status = Tenant.Status.SUSPENDED
        tenant.suspended_reason = reason[:200]
        tenant.save(update_fields=["status", "suspended_reason", "updated_at"])
        security_event_record(
            kind=EventKind.TENANT_SUSPENDED, request=request, actor=actor, tenant=tenant, reason=reason[:200]
        )
        host_cache_invalidate(tenant=tenant)
    return tenant


def tenant_resume(*, tenant: Tenant, actor=None, request=None) -> Tenant:
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
        if not tenant.is_suspended:
            raise TenantError(_("This workspace is not suspended."), code="not_suspended")
        tenant.status = Tenant.Status.ACTIVE
        tenant.suspended_reason = ""
        tenant.save(update_fields=["status", "suspended_reason", "updated_at"])
        security_event_record(kind=EventKind.TENANT_RESUMED, request=request, actor=actor, tenant=tenant)
        host_cache_invalidate(tenant=tenant)
    return tenant


def tenant_media_root(tenant: Tenant):
    return Path(settings.MEDIA_ROOT) / "tenants" / tenant.schema_name


def tenant_delete(*, tenant: Tenant, actor=None, request=None, backup: bool = True):
    """Delete a workspace for good: first an export under TENANT_BACKUP_DIR (unless
    `backup` is False), then its schema, files, sessions and public rows.
    Returns the backup's path (or None)."""
    from shared_apps.accounts.models import UserSession

    from .backups import tenant_export

    backup_path = tenant_export(tenant=tenant, actor=actor, request=request, reason="delete") if backup else None
    connection.set_schema_to_public()
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
        hostnames = list(tenant.domains.values_list("domain", flat=True))
        session_keys = list(UserSession.objects.filter(tenant=tenant).values_list("session_key", flat=True))
        Session.objects.filter(session_key__in=session_keys).delete()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {quote_ident(tenant.schema_name)} CASCADE")
        # The event keeps the slug by value when the tenant row goes.
        security_event_record(
            kind=EventKind.TENANT_DELETED, request=request, actor=actor, tenant=tenant, backup=str(backup_path or "")
        )
        media = tenant_media_root(tenant)
        schema_name = tenant.schema_name
        tenant.delete()
        # After commit, so that no request re-caches the workspace while it goes.
        host_cache_invalidate(hostnames=hostnames)
        transaction.on_commit(lambda: _forget_schema_caches(schema_name))
        transaction.on_commit(lambda: shutil.rmtree(media, ignore_errors=True))
    return backup_path


def _forget_schema_caches(schema_name: str) -> None:
    """Cache entries of a deleted schema (the default cache's keys carry the schema), so
    that a new workspace with the same address starts clean."""
    from django_tenants.utils import schema_context

    from themes.selectors import branding_cache_clear

    with schema_context(schema_name):
        branding_cache_clear()
