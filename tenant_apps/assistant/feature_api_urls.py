"""REST API routes of drafts and template generation, mounted under /api/v1/assistant/."""

from django.urls import path

from . import feature_api as api

urlpatterns = [
    path("drafts/", api.DraftApi.as_view(), name="api_assistant_draft"),
    path("templates/<slug:template>/generate/", api.TemplateGenerateApi.as_view(), name="api_assistant_template_generate"),
]
