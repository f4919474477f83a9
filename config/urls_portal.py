"""URLs of a workspace's customer portal ({slug}.PORTAL_DOMAIN or its custom domain)."""

from django.urls import include, path

from portal import views as portal
from themes import views as themes

urlpatterns = [
    path("", portal.home, name="portal_home"),
    path("branding/logo/<str:logo_hash>/", themes.logo, name="branding_logo"),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler400 = "themes.errors_views.bad_request"
handler403 = "themes.errors_views.permission_denied"
handler404 = "themes.errors_views.page_not_found"
handler500 = "themes.errors_views.server_error"
