"""Isolation-matrix rows for billing's pages (see tests/test_isolation.py): only owners
and admins of the workspace see its plan and usage."""

URLS = {
    "settings_billing": ("get", "admin"),
}


def url_args(name, tenant):
    return []
