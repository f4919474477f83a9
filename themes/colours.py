"""Brand colours: validation and the derived shades the design system needs."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def validate_hex_colour(value: str) -> None:
    if not HEX.match(value or ""):
        raise ValidationError(_("Enter a colour as #RRGGBB, for example #2563EB."), code="invalid_colour")


def _rgb(value: str) -> tuple[int, int, int]:
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def _hex(rgb) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def relative_luminance(value: str) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(value))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def readable_text_on(value: str) -> str:
    """Black or white, whichever contrasts more with `value` (WCAG)."""
    lum = relative_luminance(value)
    return "#111827" if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "#ffffff"


def shade(value: str, factor: float) -> str:
    """Darker (factor < 0) or lighter (factor > 0) by mixing with black or white."""
    r, g, b = _rgb(value)
    if factor < 0:
        return _hex((c * (1 + factor) for c in (r, g, b)))
    return _hex((c + (255 - c) * factor for c in (r, g, b)))


def brand_css_variables(primary: str, accent: str) -> dict[str, str]:
    return {
        "--brand-primary": primary,
        "--brand-primary-hover": shade(primary, -0.15),
        "--brand-primary-soft": shade(primary, 0.88),
        "--brand-on-primary": readable_text_on(primary),
        "--brand-accent": accent,
        "--brand-accent-soft": shade(accent, 0.85),
        "--brand-on-accent": readable_text_on(accent),
    }
