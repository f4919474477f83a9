"""Reads of the workspace profile."""

from django.conf import settings
from django.core.cache import cache

from .models import WorkspaceProfile

PHONE_REGION_KEY = "workspace:phone-region"


def workspace_profile() -> WorkspaceProfile:
    return WorkspaceProfile.objects.first() or WorkspaceProfile()


def workspace_phone_region() -> str:
    """The region phone numbers without a country code belong to (cached per workspace)."""
    region = cache.get(PHONE_REGION_KEY)
    if region is None:
        region = WorkspaceProfile.objects.values_list("phone_region", flat=True).first() or "BG"
        cache.set(PHONE_REGION_KEY, region, 3600)
    return region


def workspace_language() -> str:
    """The language for mail to people of this workspace who have not chosen one."""
    language = WorkspaceProfile.objects.values_list("default_language", flat=True).first()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
