"""REST API routes of this app, mounted under /api/v1/ by tenant_apps/integrations/api_urls.py."""

from django.urls import path

from . import api

urlpatterns = [
    path("imports/", api.ImportListApi.as_view(), name="api_import_list"),
    path("imports/<int:pk>/", api.ImportDetailApi.as_view(), name="api_import_detail"),
    path("imports/<int:pk>/errors/", api.ImportErrorsApi.as_view(), name="api_import_errors"),
    path("imports/<int:pk>/undo/", api.ImportUndoApi.as_view(), name="api_import_undo"),
]
