from django.urls import path

from . import export_views, quick, views

urlpatterns = [
    path("bulk/<str:entity>/", views.bulk, name="records_bulk"),
    path("inline/<str:entity>/<int:pk>/", views.inline, name="records_inline"),
    path("views/<str:entity>/save/", views.saved_view_save_view, name="saved_view_save"),
    path("quick/<str:entity>/", quick.quick_create, name="records_quick_create"),
    path("views/<int:pk>/delete/", views.saved_view_delete_view, name="saved_view_delete"),
    path("export/<str:entity>/", export_views.list_export_view, name="records_export"),
]
