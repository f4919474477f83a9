from django.urls import path

from . import views

urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("new/", views.import_new, name="import_new"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/mapping/", views.import_mapping, name="import_mapping"),
    path("<int:pk>/status/", views.import_status, name="import_status"),
    path("<int:pk>/errors/", views.import_errors, name="import_errors"),
    path("<int:pk>/retry/", views.import_retry, name="import_retry"),
    path("<int:pk>/undo/", views.import_undo, name="import_undo"),
]
