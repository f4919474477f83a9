from django.urls import path

from . import views

urlpatterns = [
    path("<str:entity>/<int:pk>/log/", views.activity_log_view, name="activity_log"),
    path("<str:entity>/<int:pk>/more/", views.timeline_more, name="timeline_more"),
    path("<str:entity>/<int:pk>/export/", views.timeline_export, name="timeline_export"),
    path("activity/<int:pk>/edit/", views.activity_edit_view, name="activity_edit"),
    path("activity/<int:pk>/delete/", views.activity_delete_view, name="activity_delete"),
]
