from django.urls import path

from . import views

urlpatterns = [
    path("", views.settings_billing, name="settings_billing"),
]
