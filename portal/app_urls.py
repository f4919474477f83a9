"""The staff app's portal pages, included at the root of config/urls_app.py."""

from django.urls import path

from . import staff_views

urlpatterns = [
    path("contacts/<int:pk>/portal/invite/", staff_views.contact_portal_invite, name="contact_portal_invite"),
    path("contacts/<int:pk>/portal/resend/", staff_views.contact_portal_resend, name="contact_portal_resend"),
    path("contacts/<int:pk>/portal/disable/", staff_views.contact_portal_disable, name="contact_portal_disable"),
    path("contacts/<int:pk>/portal/enable/", staff_views.contact_portal_enable, name="contact_portal_enable"),
    path("settings/portal/", staff_views.settings_portal, name="settings_portal"),
]
