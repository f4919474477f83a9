"""Crossing hosts signed in: a signed, single-use, short-lived hand-off token.

Session cookies are host-only, so after signup, a workspace switch or the start of an
impersonation the user is carried to the other host by a token that names the user, the
target schema and surface, whether the origin session had passed its second factor (and
with which device), and a nonce that is recorded when the token is redeemed.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.hosts import tenant_url

from ..errors import HandoffError
from ..models import Membership, UsedToken

SALT = "tessera.accounts.handoff"


@dataclass
class HandoffGrant:
    user: object
    otp_device_id: str | None
    next_path: str
    impersonator: object | None
    impersonation_until: object | None


def _safe_path(path: str) -> str:
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


def handoff_issue(*, user, tenant, otp_device_id: str | None = None, next_path: str = "/", impersonator=None) -> str:
    """The URL on `tenant`'s host that signs `user` in there (valid for a minute, once)."""
    payload = {
        "u": user.pk,
        "s": tenant.schema_name,
        "f": "app",
        "n": secrets.token_urlsafe(18),
        "d": otp_device_id,
        "p": _safe_path(next_path),
    }
    if impersonator is not None:
        payload["i"] = impersonator.pk
        payload["x"] = int((timezone.now() + timedelta(minutes=settings.IMPERSONATION_MAX_MINUTES)).timestamp())
    token = signing.dumps(payload, salt=SALT, compress=True)
    return tenant_url(tenant, "/auth/handoff/?" + urlencode({"token": token}))


def handoff_redeem(*, token: str, tenant, surface: str) -> HandoffGrant:
    """Check a token for this host and burn it; raise HandoffError with a clear message."""
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=settings.HANDOFF_MAX_AGE_SECONDS)
    except signing.SignatureExpired as exc:
        raise HandoffError(_("This sign-in link has expired. Please sign in again."), code="handoff_expired") from exc
    except signing.BadSignature as exc:
        raise HandoffError(code="handoff_invalid") from exc
    if payload.get("s") != tenant.schema_name or payload.get("f") != surface:
        raise HandoffError(_("This sign-in link is for another workspace."), code="handoff_wrong_host")
    user = get_user_model().objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None:
        raise HandoffError(code="handoff_invalid")
    if not Membership.objects.filter(user=user, tenant=tenant).exists():
        raise HandoffError(_("You do not have access to this workspace."), code="handoff_no_access")
    impersonator = None
    if payload.get("i"):
        # Only a platform admin who still is one can finish starting an impersonation.
        impersonator = get_user_model().objects.filter(pk=payload["i"], is_staff=True, is_active=True).first()
        if impersonator is None:
            raise HandoffError(code="handoff_invalid")
    try:
        with transaction.atomic():
            UsedToken.objects.create(nonce=payload["n"], kind="handoff")
    except IntegrityError as exc:
        raise HandoffError(
            _("This sign-in link has already been used. Please sign in again."), code="handoff_reused"
        ) from exc
    until = None
    if impersonator is not None:
        until = datetime.fromtimestamp(payload["x"], tz=dt_timezone.utc)
    return HandoffGrant(
        user=user,
        otp_device_id=payload.get("d"),
        next_path=_safe_path(payload.get("p", "/")),
        impersonator=impersonator,
        impersonation_until=until,
    )


def used_tokens_cleanup() -> int:
    """Nonces older than any token's lifetime can go."""
    cutoff = timezone.now() - timedelta(seconds=settings.HANDOFF_MAX_AGE_SECONDS * 10)
    deleted, _ = UsedToken.objects.filter(used_at__lt=cutoff).delete()
    return deleted
