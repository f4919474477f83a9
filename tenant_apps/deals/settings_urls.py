from django.urls import path

from . import settings_views as views

urlpatterns = [
    path("", views.pipelines, name="settings_pipelines"),
    path("<int:pk>/", views.pipeline, name="settings_pipeline"),
    path("<int:pk>/delete/", views.pipeline_delete_view, name="settings_pipeline_delete"),
    path("<int:pk>/stages/add/", views.stage_add_view, name="settings_stage_add"),
    path("<int:pk>/stages/reorder/", views.stages_reorder_view, name="settings_stages_reorder"),
    path("stages/<int:pk>/", views.stage_edit_view, name="settings_stage_edit"),
    path("stages/<int:pk>/delete/", views.stage_delete_view, name="settings_stage_delete"),
]
