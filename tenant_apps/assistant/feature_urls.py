"""URLs of the assistant's e-mail drafts and template generation, mounted at /assistant/."""

from django.urls import path

from . import feature_views as views

urlpatterns = [
    path("drafts/<str:entity>/<int:pk>/", views.draft_page, name="assistant_draft"),
    path("drafts/<str:entity>/<int:pk>/stream/", views.draft_stream, name="assistant_draft_stream"),
    path("drafts/<str:entity>/<int:pk>/subjects/", views.draft_subjects, name="assistant_draft_subjects"),
    path("templates/<slug:slug>/generate/", views.template_generate_view, name="assistant_template_generate"),
]
