from django.urls import path

from . import views

urlpatterns = [
    path("", views.template_list, name="template_list"),
    path("<slug:slug>/", views.template_edit, name="template_edit"),
    path("<slug:slug>/preview/", views.template_preview, name="template_preview"),
    path("<slug:slug>/versions/", views.template_versions, name="template_versions"),
    path("<slug:slug>/versions/<int:number>/revert/", views.template_revert_view, name="template_revert"),
]
