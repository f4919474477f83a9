"""Isolation-matrix rows for card payments set-up on a workspace's host (see
tests/test_isolation.py): owners and admins only. The Connect webhook lives on the public
host; tests/connect/test_webhook.py covers it."""

URLS = {
    "settings_payments": ("get", "admin"),
    "settings_payments_connect": ("post", "admin"),
    "settings_payments_refresh": ("get", "admin"),
    "settings_payments_return": ("get", "admin"),
    "api_billing_connect": ("get", "api"),
    "api_billing_connect_onboarding": ("post", "api"),
}


def url_args(name, tenant):
    return []
