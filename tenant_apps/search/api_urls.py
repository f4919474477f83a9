"""REST API routes of this app, mounted under /api/v1/ by tenant_apps/integrations/api_urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
