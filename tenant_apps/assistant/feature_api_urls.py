"""REST API routes of drafts and template generation, mounted under /api/v1/assistant/."""

from django.urls import path, re_path

from . import feature_api as api

urlpatterns = [
    path("drafts/", api.DraftApi.as_view(), name="api_assistant_draft"),
    # Any name the schema allows reaches the view (an unknown one answers the API's 404).
    re_path(r"^templates/(?P<template>[^/]+)/generate/$", api.TemplateGenerateApi.as_view(),
            name="api_assistant_template_generate"),
]
