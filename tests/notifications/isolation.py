"""Isolation-matrix rows for the notification pages (see tests/test_isolation.py)."""

from django.db import connection

URLS = {
    "notification_list": ("get", "member"),
    "notification_read_all": ("post", "member"),
    "notification_open": ("get", "member"),
}


def url_args(name, tenant):
    if name != "notification_open":
        return []
    from shared_apps.accounts.models import Membership
    from tenant_apps.notifications.services import notification_create

    owner = Membership.objects.get(tenant=tenant, role="owner").user
    connection.set_tenant(tenant)
    try:
        notification = notification_create(user=owner, kind="test", title="For the owner only", url="/tasks/")
    finally:
        connection.set_schema_to_public()
    return [notification.pk]
