"""Isolation-matrix rows for the staff side of the portal (see tests/test_isolation.py):
the contact page's actions need a writer, the settings page an admin, the API a writer's
session or key; the contact and its access are acme's."""

from django.db import connection

URLS = {
    "contact_portal_invite": ("post", "writer"),
    "contact_portal_resend": ("post", "writer"),
    "contact_portal_disable": ("post", "writer"),
    "contact_portal_enable": ("post", "writer"),
    "settings_portal": ("get", "admin"),
    "api_portal_access_list": ("get", "api"),
    "api_portal_access_disable": ("post", "api"),
}


def _access(tenant):
    from tests.portal_helpers import make_customer

    connection.set_schema_to_public()
    return make_customer(tenant, email="isolated@customer.test", company="Isolated Ltd", name="Ida Isolated")


def url_args(name, tenant):
    if name == "settings_portal" or name == "api_portal_access_list":
        return []
    access = _access(tenant)
    if name == "api_portal_access_disable":
        return [access.pk]
    return [access.contact_id]
