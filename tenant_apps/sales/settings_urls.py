from django.urls import path

from . import settings_views as views

urlpatterns = [
    path("", views.sales_settings_view, name="sales_settings"),
    path("tax-rates/new/", views.tax_rate_new, name="sales_tax_rate_new"),
    path("tax-rates/<int:pk>/", views.tax_rate_edit, name="sales_tax_rate_edit"),
    path("tax-rates/<int:pk>/delete/", views.tax_rate_delete_view, name="sales_tax_rate_delete"),
]
