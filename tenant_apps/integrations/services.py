"""Writing API keys: create (the secret is returned once), revoke, note a use."""

import secrets
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.entitlements import entitlement_require
from shared_apps.accounts.binding import is_impersonating
from shared_apps.accounts.rules import can
from shared_apps.audit.models import EventKind
from shared_apps.audit.services import security_event_record

from .errors import ApiKeyPermissionError, ApiKeyValidationError
from .models import ApiKey
from .selectors import KEY_PREFIX, secret_hash

# last_used_at is written at most this often per key, so a busy key costs no write per call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def api_key_create(*, actor, name: str, scope: str, expires_at=None, request=None) -> tuple[ApiKey, str]:
    """A new key acting as `actor`; returns (key, full secret). Only the hash is stored,
    so the secret cannot be shown again. Writes a security event. Refused while a
    platform admin impersonates `actor`: a key would outlive the time-limited session.
    Refused (PlanFeatureUnavailable) on a plan without API access."""
    if not can(actor, "integrations.manage_api_keys"):
        raise ApiKeyPermissionError()
    entitlement_require(connection.tenant, "api")
    if request is not None and is_impersonating(request):
        raise ApiKeyPermissionError(_("API keys cannot be created while you act as another member."))
    errors = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = _("Give the key a name, e.g. the tool that will use it.")
    elif len(name) > 80:
        errors["name"] = _("At most %(n)d characters.") % {"n": 80}
    if scope not in ApiKey.Scope.values:
        errors["scope"] = _("Choose read only or read and write.")
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("The expiry must be in the future.")
    if errors:
        raise ApiKeyValidationError(errors)
    public = secrets.token_hex(4)
    secret = f"{KEY_PREFIX}{public}_{secrets.token_urlsafe(32).replace('_', '').replace('-', '')}"
    with transaction.atomic():
        key = ApiKey.objects.create(
            name=name, prefix=f"{KEY_PREFIX}{public}", secret_hash=secret_hash(secret), scope=scope,
            created_by=actor, expires_at=expires_at,
        )
        security_event_record(
            kind=EventKind.API_KEY_CREATED, request=request, actor=actor, tenant=connection.tenant,
            key=key.prefix, name=name, scope=scope,
        )
    return key, secret


def api_key_revoke(*, key: ApiKey, actor, request=None) -> ApiKey:
    """Stop a key from working, for good (it stays listed). Writes a security event."""
    if not can(actor, "integrations.manage_api_keys"):
        raise ApiKeyPermissionError()
    if key.revoked_at is not None:
        return key
    with transaction.atomic():
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at", "updated_at"])
        security_event_record(
            kind=EventKind.API_KEY_REVOKED, request=request, actor=actor, tenant=connection.tenant,
            key=key.prefix, name=key.name,
        )
    return key


def api_key_touch(*, key: ApiKey, now=None) -> None:
    """Note that `key` was used: no write if it was noted in the last minute, and a
    conditional UPDATE so concurrent requests do not pile up writes."""
    now = now or timezone.now()
    if key.last_used_at is not None and now - key.last_used_at < LAST_USED_RESOLUTION:
        return
    ApiKey.objects.filter(pk=key.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)
    key.last_used_at = now
