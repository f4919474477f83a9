"""Second factor with django-otp: TOTP apps plus single-use recovery codes.

`User.two_factor_enabled` mirrors "has a confirmed device" and is only changed here,
in the same transaction as the devices, so that middleware can enforce the second factor
without a query.
"""

import secrets

import django_otp
from django.contrib.auth import get_user_model
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shared_apps.audit.models import EventKind
from shared_apps.audit.services import security_event_record

from ..errors import TwoFactorError

RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_DEVICE_NAME = "recovery"


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def format_recovery_code(token: str) -> str:
    return f"{token[:5]}-{token[5:]}"


def totp_device_pending(*, user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (made if there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def totp_qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, dark="#111827")


def totp_secret_display(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _recovery_codes_replace(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    tokens = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10)) for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=t) for t in tokens])
    return [format_recovery_code(t) for t in tokens]


def two_factor_enable(*, user, device: TOTPDevice, code: str, request) -> list[str]:
    """Confirm the pending authenticator with a code from it; return new recovery codes.
    The current session counts as verified afterwards."""
    code = normalise_code(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=user, confirmed=False).first()
        if device is None:
            raise TwoFactorError(_("This set-up has expired. Please start again."), code="two_factor_setup_expired")
        ok = code.isdigit() and device.verify_token(code)
    if not ok:
        security_event_record(kind=EventKind.TWO_FACTOR_FAILED, request=request, actor=user, during="setup")
        raise TwoFactorError(_("That code is not valid. Make sure your phone's clock is right and try again."))
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(user)
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        get_user_model().objects.filter(pk=user.pk).update(two_factor_enabled=True)
        user.two_factor_enabled = True
        security_event_record(kind=EventKind.TWO_FACTOR_ENABLED, request=request, actor=user)
    django_otp.login(request, device)
    return codes


def two_factor_verify(*, user, code: str, request=None):
    """The device that accepts `code` (a TOTP code or a recovery code), or TwoFactorError.
    A recovery code is used up."""
    code = normalise_code(code)
    if not code:
        raise TwoFactorError(_("Enter the code from your authenticator app or a recovery code."), code="two_factor_required")
    throttled_until = None
    with transaction.atomic():
        matched = None
        for device in devices_for_user(user, for_verify=True):
            allowed, info = device.verify_is_allowed()
            if not allowed:
                throttled_until = (info or {}).get("locked_until") or throttled_until
                continue
            if isinstance(device, TOTPDevice) and not code.isdigit():
                continue
            if isinstance(device, StaticDevice) and len(code) != 10:
                continue
            if device.verify_token(code):
                matched = device
                break
    if matched is None:
        security_event_record(kind=EventKind.TWO_FACTOR_FAILED, request=request, actor=user)
        if throttled_until is not None:
            wait = max(1, int((throttled_until - timezone.now()).total_seconds()) + 1)
            raise TwoFactorError(
                _("Too many wrong codes. Please wait %(seconds)d seconds and try again.") % {"seconds": wait},
                code="two_factor_throttled",
            )
        raise TwoFactorError()
    if isinstance(matched, StaticDevice):
        remaining = matched.token_set.count()
        security_event_record(kind=EventKind.RECOVERY_CODE_USED, request=request, actor=user, remaining=remaining)
        matched.recovery_codes_left = remaining
    return matched


def recovery_codes_regenerate(*, user, code: str, request) -> list[str]:
    """New recovery codes (the old ones stop working), confirmed with a current code."""
    two_factor_verify(user=user, code=code, request=request)
    with transaction.atomic():
        codes = _recovery_codes_replace(user)
        security_event_record(kind=EventKind.RECOVERY_CODES_REGENERATED, request=request, actor=user)
    return codes


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE_NAME).count()


def two_factor_disable(*, user, password: str, code: str, request) -> None:
    """Remove every device of the user, after their password and a current code."""
    if not user.check_password(password or ""):
        raise TwoFactorError(_("Your password is not correct."), code="password_invalid")
    if user.is_staff:
        raise TwoFactorError(
            _("Platform staff must keep two-factor authentication on."), code="two_factor_required_staff"
        )
    tenant = getattr(request, "tenant", None)
    if getattr(tenant, "require_2fa", False):
        raise TwoFactorError(
            _("%(workspace)s requires two-factor authentication for every member.") % {"workspace": tenant.name},
            code="two_factor_required_policy",
        )
    two_factor_verify(user=user, code=code, request=request)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        get_user_model().objects.filter(pk=user.pk).update(two_factor_enabled=False)
        user.two_factor_enabled = False
        security_event_record(kind=EventKind.TWO_FACTOR_DISABLED, request=request, actor=user)
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
