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
    path("invoices/", include("portal.payment_urls")),
    path("branding/logo/<str:logo_hash>/", themes.logo, name="branding_logo"),
    path("i18n/", include("django.conf.urls.i18n")),
]
