"""REST API routes of this app, mounted under /api/v1/ by tenant_apps/integrations/api_urls.py."""

from django.urls import path

from .api import SearchView

urlpatterns = [
    path("search/", SearchView.as_view(), name="api_search"),
]
