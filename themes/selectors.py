"""Reads of branding, cached per tenant (the default cache's keys carry the schema)."""

from django.core.cache import cache

from .colours import brand_css_variables, readable_text_on
from .models import DEFAULT_ACCENT, DEFAULT_PRIMARY, Branding

CACHE_KEY = "themes:branding:v1"


def branding_get() -> dict:
    """The current tenant's branding as plain data: colours, CSS variables, logo hash."""
    data = cache.get(CACHE_KEY)
    if data is None:
        row = Branding.objects.first()
        primary = row.primary_colour if row else DEFAULT_PRIMARY
        accent = row.accent_colour if row else DEFAULT_ACCENT
        data = {
            "primary": primary,
            "accent": accent,
            "css": brand_css_variables(primary, accent),
            "on_primary": readable_text_on(primary),
            "logo_hash": row.logo_hash[:16] if row and row.logo else "",
        }
        cache.set(CACHE_KEY, data, 3600)
    return data


def branding_row() -> Branding:
    """The branding row itself (for the settings form); an unsaved default if missing."""
    return Branding.objects.first() or Branding()


def branding_cache_clear() -> None:
    cache.delete(CACHE_KEY)


def default_branding() -> dict:
    return {
        "primary": DEFAULT_PRIMARY,
        "accent": DEFAULT_ACCENT,
        "css": brand_css_variables(DEFAULT_PRIMARY, DEFAULT_ACCENT),
        "on_primary": readable_text_on(DEFAULT_PRIMARY),
        "logo_hash": "",
    }
