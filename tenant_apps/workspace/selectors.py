"""Reads of the workspace profile."""

from django.conf import settings

from .models import WorkspaceProfile


def workspace_profile() -> WorkspaceProfile:
    return WorkspaceProfile.objects.first() or WorkspaceProfile()


def workspace_language() -> str:
    """The language for mail to people of this workspace who have not chosen one."""
    language = WorkspaceProfile.objects.values_list("default_language", flat=True).first()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
