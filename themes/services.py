"""Changing a workspace's branding."""

import io

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .colours import validate_hex_colour
from .errors import LOGO_FORMATS, LOGO_MAX_BYTES, LOGO_MAX_PIXELS, BrandingError
from .models import Branding
from .selectors import branding_cache_clear


def logo_validate(data: bytes) -> str:
    """The image format of `data` if it is an acceptable logo; BrandingError otherwise."""
    if len(data) > LOGO_MAX_BYTES:
        raise BrandingError(
            _("The logo is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(LOGO_MAX_BYTES)},
            code="logo_too_large",
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            width, height = image.size
            if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
                raise BrandingError(
                    _("The logo is %(w)d × %(h)d pixels; the limit is %(max)d × %(max)d.")
                    % {"w": width, "h": height, "max": LOGO_MAX_PIXELS},
                    code="logo_too_many_pixels",
                )
            image.verify()
    except BrandingError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise BrandingError(
            _("This file is not an image we can use. Upload a PNG, JPEG, WebP or GIF file."), code="logo_not_image"
        ) from exc
    if image_format not in LOGO_FORMATS:
        raise BrandingError(
            _("This file is not an image we can use. Upload a PNG, JPEG, WebP or GIF file."), code="logo_not_image"
        )
    return image_format


def branding_update(
    *, primary_colour: str, accent_colour: str, actor, logo: bytes | None = None, remove_logo=False
) -> Branding:
    """Save colours and, optionally, a new logo (validated, and refused with
    PlanLimitReached when the plan's file storage has no room for it) or its removal."""
    from shared_apps.accounts.errors import PermissionDeniedError
    from shared_apps.accounts.rules import can

    if not can(actor, "workspace.change_settings"):
        raise PermissionDeniedError()
    validate_hex_colour(primary_colour)
    validate_hex_colour(accent_colour)
    image_format = logo_validate(logo) if logo is not None else None
    if logo is not None:
        from billing.entitlements import entitlement_check

        entitlement_check(connection.tenant, "storage", len(logo))  # the plan's file storage
    with transaction.atomic():
        branding, _created = Branding.objects.select_for_update().get_or_create(singleton=True)
        old_file = branding.logo.name if branding.logo else None
        branding.primary_colour = primary_colour.lower()
        branding.accent_colour = accent_colour.lower()
        if image_format is not None:
            branding.logo_hash = Branding.hash_bytes(logo)
            branding.logo_content_type = LOGO_FORMATS[image_format]
            extension = "jpg" if image_format == "JPEG" else image_format.lower()
            branding.logo.save(f"logo.{extension}", ContentFile(logo), save=False)
        elif remove_logo:
            branding.logo = ""
            branding.logo_hash = ""
            branding.logo_content_type = ""
        branding.save()
        new_file = branding.logo.name if branding.logo else None
        if old_file and old_file != new_file:
            storage = branding.logo.storage
            transaction.on_commit(lambda: storage.delete(old_file))
        transaction.on_commit(branding_cache_clear)
    branding_cache_clear()
    return branding
