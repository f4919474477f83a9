from django.urls import path

from . import views

urlpatterns = [
    path("", views.contact_list, name="contact_list"),
    path("new/", views.contact_new, name="contact_new"),
    path("duplicates/", views.contact_duplicates_view, name="contact_duplicates"),
    path("<int:pk>/", views.contact_detail, name="contact_detail"),
    path("<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("<int:pk>/delete/", views.contact_delete_view, name="contact_delete"),
    path("<int:pk>/merge/", views.contact_merge_view, name="contact_merge"),
    path("<int:pk>/export/", views.contact_export_data, name="contact_export_data"),
    path("<int:pk>/erase/", views.contact_erase_view, name="contact_erase"),
]
