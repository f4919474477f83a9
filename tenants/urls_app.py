"""The workspace's domain settings, mounted at /settings/domains/ by config/urls_app.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.settings_domains, name="settings_domains"),
    path("<int:pk>/verify/", views.settings_domain_verify, name="settings_domain_verify"),
    path("<int:pk>/primary/", views.settings_domain_primary, name="settings_domain_primary"),
    path("<int:pk>/remove/", views.settings_domain_remove, name="settings_domain_remove"),
]
