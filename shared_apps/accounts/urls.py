"""The signed-in user's pages, on the public host and on every workspace host."""

from django.urls import path

from .views import account, two_factor

urlpatterns = [
    path("profile/", account.profile, name="account_profile"),
    path("security/", account.security, name="account_security"),
    path("security/sessions/<int:pk>/revoke/", account.session_revoke_view, name="account_session_revoke"),
    path("security/sessions/revoke-others/", account.sessions_revoke_others, name="account_sessions_revoke_others"),
    path("workspaces/", account.workspaces, name="account_workspaces"),
    path("workspaces/<slug:slug>/open/", account.workspace_open, name="workspace_open"),
    path("2fa/setup/", two_factor.setup, name="two_factor_setup"),
    path("2fa/recovery-codes/", two_factor.recovery_codes, name="two_factor_recovery_codes"),
    path("2fa/recovery-codes/new/", two_factor.recovery_codes_new, name="two_factor_recovery_codes_new"),
    path("2fa/disable/", two_factor.disable, name="two_factor_disable"),
    path("2fa/authenticate/", two_factor.authenticate, name="two_factor_authenticate"),
    path("2fa/verify/", two_factor.verify, name="two_factor_verify"),
]
