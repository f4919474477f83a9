from django.urls import path

from . import settings_views as views

urlpatterns = [
    path("fields/", views.fields, name="settings_fields"),
    path("fields/reorder/", views.fields_reorder, name="settings_fields_reorder"),
    path("fields/<int:pk>/", views.field_edit, name="settings_field_edit"),
    path("fields/<int:pk>/delete/", views.field_delete, name="settings_field_delete"),
    path("visibility/", views.visibility, name="settings_visibility"),
]
