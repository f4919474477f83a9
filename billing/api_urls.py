"""REST API routes of billing, mounted under /api/v1/ by tenant_apps/integrations/api_urls.py."""

from django.urls import path

from . import api

urlpatterns = [
    path("billing/subscription/", api.SubscriptionApi.as_view(), name="api_billing_subscription"),
    path("billing/checkout/", api.CheckoutApi.as_view(), name="api_billing_checkout"),
    path("billing/portal/", api.PortalApi.as_view(), name="api_billing_portal"),
    path("billing/connect/", api.ConnectStatusApi.as_view(), name="api_billing_connect"),
    path("billing/connect/onboarding/", api.ConnectOnboardingApi.as_view(), name="api_billing_connect_onboarding"),
]
