"""Changing the workspace's profile and security policy."""

from django.core.cache import cache
from django.db import transaction

from django.utils.translation import gettext as _

from shared_apps.accounts.errors import PermissionDeniedError, TwoFactorError
from shared_apps.accounts.rules import can
from shared_apps.audit.models import EventKind
from shared_apps.audit.services import security_event_record
from tenants.hosts import host_cache_invalidate
from tenants.models import Tenant

from .models import WorkspaceProfile
from .selectors import PHONE_REGION_KEY, TIMEZONE_KEY

PROFILE_FIELDS = (
    "legal_name", "tax_id", "email", "phone", "website", "address_line1", "address_line2",
    "postal_code", "city", "country", "default_language", "default_currency", "timezone", "phone_region",
)


def workspace_profile_update(*, tenant: Tenant, name: str, actor, **fields) -> WorkspaceProfile:
    """Save the company profile; the workspace's display name lives on the tenant row."""
    if not can(actor, "workspace.change_settings"):
        raise PermissionDeniedError()
    with transaction.atomic():
        profile, _created = WorkspaceProfile.objects.select_for_update().get_or_create(singleton=True)
        for field in PROFILE_FIELDS:
            if field in fields:
                setattr(profile, field, fields[field])
        profile.full_clean()
        profile.save()
        transaction.on_commit(lambda: cache.delete_many([PHONE_REGION_KEY, TIMEZONE_KEY]))
        name = name.strip()
        if name and name != tenant.name:
            Tenant.objects.filter(pk=tenant.pk).update(name=name)
            tenant.name = name
            host_cache_invalidate(tenant=tenant)
    return profile


def workspace_require_2fa_set(*, tenant: Tenant, required: bool, actor, request=None) -> None:
    """Turn the "every member needs 2FA" policy on or off (the actor must have 2FA)."""
    if not can(actor, "workspace.change_security"):
        raise PermissionDeniedError()
    if required and not actor.two_factor_enabled:
        raise TwoFactorError(
            _("Turn on two-factor authentication for yourself first, so that you are not locked out."),
            code="two_factor_required_first",
        )
    with transaction.atomic():
        Tenant.objects.filter(pk=tenant.pk).update(require_2fa=required)
        tenant.require_2fa = required
        security_event_record(kind=EventKind.TWO_FACTOR_POLICY, request=request, actor=actor, tenant=tenant, required=required)
        host_cache_invalidate(tenant=tenant)
