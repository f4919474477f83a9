from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("settings/", views.settings_profile, name="settings_profile"),
    path("settings/branding/", views.settings_branding, name="settings_branding"),
    path("settings/members/", views.settings_members, name="settings_members"),
    path("settings/members/<int:pk>/role/", views.member_role, name="settings_member_role"),
    path("settings/members/<int:pk>/remove/", views.member_remove, name="settings_member_remove"),
    path("settings/invitations/<int:pk>/resend/", views.invitation_resend_view, name="settings_invitation_resend"),
    path("settings/invitations/<int:pk>/revoke/", views.invitation_revoke_view, name="settings_invitation_revoke"),
    path("settings/security/", views.settings_security, name="settings_security"),
    path("settings/security/sessions/<int:pk>/revoke/", views.session_revoke_view, name="settings_session_revoke"),
]
