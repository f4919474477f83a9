"""The past-due banner for a workspace's owners and admins (read from the cache only,
so that it costs pages no query)."""

from shared_apps.accounts.rules import ADMIN_ROLES

from .selectors import billing_banner


def billing_notice(request):
    if getattr(request, "surface", None) != "app":
        return {}
    membership = getattr(request, "membership", None)
    if membership is None or membership.role not in ADMIN_ROLES:
        return {}
    banner = billing_banner(request.tenant.pk)
    return {"billing_past_due": banner} if banner else {}
