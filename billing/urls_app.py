"""Billing on a workspace's host, included under /settings/billing/ in config/urls_app.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.settings_billing, name="settings_billing"),
    path("checkout/", views.billing_checkout, name="billing_checkout"),
    path("portal/", views.billing_portal, name="billing_portal"),
]
