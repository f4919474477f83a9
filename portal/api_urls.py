"""REST API routes of portal access, mounted under /api/v1/ by tenant_apps/integrations/api_urls.py."""

from django.urls import path

from . import api

urlpatterns = [
    path("portal/accesses/", api.PortalAccessListApi.as_view(), name="api_portal_access_list"),
    path("portal/accesses/<int:pk>/disable/", api.PortalAccessDisableApi.as_view(), name="api_portal_access_disable"),
]
