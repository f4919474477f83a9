"""Isolation-matrix rows for billing on a workspace's host (see tests/test_isolation.py):
the billing page (plan, usage, subscription), Checkout and the Billing Portal are for
owners and admins only. The Stripe webhook lives on the public host; tests/billing/test_webhooks.py covers it."""

URLS = {
    "settings_billing": ("get", "admin"),
    "billing_checkout": ("post", "admin"),
    "billing_portal": ("post", "admin"),
    "api_billing_subscription": ("get", "api"),
    "api_billing_checkout": ("post", "api"),
    "api_billing_portal": ("post", "api"),
}


def url_args(name, tenant):
    return []
