"""REST API routes of this app, mounted under /api/v1/ by tenant_apps/integrations/api_urls.py."""

from django.urls import path

from . import api

urlpatterns = [
    path("deals/<int:pk>/analysis/", api.DealAnalysisApi.as_view(), name="api_deal_analysis"),
]
