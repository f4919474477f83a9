"""URLs of a workspace's staff app ({slug}.APP_DOMAIN or its custom domain)."""

from django.urls import include, path

from themes.errors_views import handler400, handler403, handler404, handler429, handler500  # noqa: F401

from shared_apps.accounts.views import handoff, invitations
from themes import views as themes

urlpatterns = [
    path("", include("tenant_apps.workspace.urls")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("shared_apps.accounts.urls")),
    path("auth/handoff/", handoff.handoff, name="handoff"),
    path("invite/<str:token>/", invitations.accept, name="invitation_accept"),
    path("impersonation/end/", handoff.impersonation_stop, name="impersonation_stop"),
    path("branding/logo/<str:logo_hash>/", themes.logo, name="branding_logo"),
    path("i18n/", include("django.conf.urls.i18n")),
]
