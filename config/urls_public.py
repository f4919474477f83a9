"""URLs of the public host: the site, signup, accounts and the platform console."""

from django.urls import include, path

from themes.errors_views import handler400, handler403, handler404, handler429, handler500  # noqa: F401

from billing.connect_webhooks import stripe_connect_webhook
from shared_apps.site import views as site

urlpatterns = [
    path("", site.landing, name="landing"),
    path("pricing/", site.pricing, name="pricing"),
    path("signup/", site.signup, name="signup"),
    path("signup/check/", site.slug_check, name="signup_slug_check"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("shared_apps.accounts.urls")),
    path("console/", include("shared_apps.console.urls")),
    # Stripe posts signed events to /stripe/webhook/<endpoint uuid>/ (dj-stripe verifies them).
    path("stripe/", include("djstripe.urls", namespace="djstripe")),
    # Events of the workspaces' own Stripe accounts (Connect), with their own signing secret.
    path("webhooks/stripe/connect/", stripe_connect_webhook, name="stripe_connect_webhook"),
    path("i18n/", include("django.conf.urls.i18n")),
]
