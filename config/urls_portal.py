"""URLs of a workspace's customer portal ({slug}.PORTAL_DOMAIN or its custom domain)."""

from django.urls import include, path

from themes.errors_views import handler400, handler403, handler404, handler429, handler500  # noqa: F401

from portal import views as portal
from portal import views_auth as portal_auth
from themes import views as themes

urlpatterns = [
    path("", portal.home, name="portal_home"),
    path("login/", portal_auth.login_view, name="portal_login"),
    path("logout/", portal_auth.logout_view, name="portal_logout"),
    path("login/link/<str:token>/", portal_auth.magic_link, name="portal_magic_link"),
    path("invitation/<str:token>/", portal_auth.invite_accept, name="portal_invite_accept"),
    path("signup/", portal_auth.signup, name="portal_signup"),
    path("signup/<str:token>/", portal_auth.signup_confirm, name="portal_signup_confirm"),
    path("password/reset/", portal_auth.password_reset, name="portal_password_reset"),
    path("password/reset/<str:token>/", portal_auth.password_reset_confirm, name="portal_password_reset_confirm"),
    path("account/", portal_auth.account, name="portal_account"),
    path("branding/logo/<str:logo_hash>/", themes.logo, name="branding_logo"),
    path("i18n/", include("django.conf.urls.i18n")),
]
