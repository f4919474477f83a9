from django.urls import path

from . import views

urlpatterns = [
    path("", views.settings_assistant, name="settings_assistant"),
]
