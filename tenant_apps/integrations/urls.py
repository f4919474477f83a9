from django.urls import path

from . import views

urlpatterns = [
    path("", views.integrations, name="settings_integrations"),
    path("keys/<int:pk>/revoke/", views.api_key_revoke_view, name="settings_api_key_revoke"),
]
