from django.utils.translation import gettext_lazy as _

from config.errors import UserFacingError


class BrandingError(UserFacingError):
    code = "branding_invalid"


LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 4096
LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
LOGO_HELP = _("PNG, JPEG, WebP or GIF, at most 2 MB and 4096 × 4096 pixels.")
