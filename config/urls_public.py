"""URLs of the public host: the site, signup, accounts and the platform console."""

from django.urls import include, path

from shared_apps.site import views as site

urlpatterns = [
    path("", site.landing, name="landing"),
    path("pricing/", site.pricing, name="pricing"),
    path("signup/", site.signup, name="signup"),
    path("signup/check/", site.slug_check, name="signup_slug_check"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("shared_apps.accounts.urls")),
    path("console/", include("shared_apps.console.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler400 = "themes.errors_views.bad_request"
handler403 = "themes.errors_views.permission_denied"
handler404 = "themes.errors_views.page_not_found"
handler500 = "themes.errors_views.server_error"
handler429 = "themes.errors_views.too_many_requests"
