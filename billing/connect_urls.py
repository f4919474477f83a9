"""Card payments set-up on a workspace's host, included under /settings/payments/ in config/urls_app.py."""

from django.urls import path

from . import connect_views as views

urlpatterns = [
    path("", views.settings_payments, name="settings_payments"),
    path("connect/", views.settings_payments_connect, name="settings_payments_connect"),
    path("refresh/", views.settings_payments_refresh, name="settings_payments_refresh"),
    path("return/", views.settings_payments_return, name="settings_payments_return"),
]
