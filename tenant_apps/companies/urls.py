from django.urls import path

from . import views

urlpatterns = [
    path("", views.company_list, name="company_list"),
    path("new/", views.company_new, name="company_new"),
    path("lookup/", views.company_lookup, name="company_lookup"),
    path("duplicates/", views.company_duplicates_view, name="company_duplicates"),
    path("<int:pk>/", views.company_detail, name="company_detail"),
    path("<int:pk>/edit/", views.company_edit, name="company_edit"),
    path("<int:pk>/delete/", views.company_delete_view, name="company_delete"),
    path("<int:pk>/merge/", views.company_merge_view, name="company_merge"),
]
