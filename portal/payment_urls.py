"""Card payments of invoices in the portal, included under /invoices/ in config/urls_portal.py."""

from django.urls import path

from . import payment_views as views

urlpatterns = [
    path("<int:pk>/pay/", views.invoice_pay, name="portal_invoice_pay"),
    path("<int:pk>/paid/", views.invoice_paid, name="portal_invoice_paid"),
]
