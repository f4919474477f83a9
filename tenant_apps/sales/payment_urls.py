from django.urls import path

from . import payment_views

urlpatterns = [
    path("", payment_views.payment_list_view, name="sales_payment_list"),
    path("export/", payment_views.payment_export_view, name="sales_payments_export"),
]
