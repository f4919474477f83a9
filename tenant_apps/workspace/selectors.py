"""Reads of the workspace profile."""

import zoneinfo

from django.conf import settings
from django.core.cache import cache

from .models import WorkspaceProfile

PHONE_REGION_KEY = "workspace:phone-region"
TIMEZONE_KEY = "workspace:timezone"


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


def workspace_timezone() -> zoneinfo.ZoneInfo:
    """The workspace's time zone (its profile; cached per workspace), UTC if unset or
    unknown. Pages show and forms read times in it."""
    name = cache.get(TIMEZONE_KEY)
    if name is None:
        name = WorkspaceProfile.objects.values_list("timezone", flat=True).first() or "UTC"
        cache.set(TIMEZONE_KEY, name, 3600)
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")
