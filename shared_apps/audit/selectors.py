"""Reads of the security log."""

from .models import SecurityEvent


def security_event_list(*, tenant=None, kind=None, actor_email=None, tenant_slug=None, since=None, until=None):
    qs = SecurityEvent.objects.select_related("actor", "tenant")
    if tenant is not None:
        qs = qs.filter(tenant=tenant)
    if kind:
        qs = qs.filter(kind=kind)
    if actor_email:
        qs = qs.filter(actor_email__icontains=actor_email.strip())
    if tenant_slug:
        qs = qs.filter(tenant_slug=tenant_slug.strip().lower())
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if until:
        qs = qs.filter(created_at__date__lte=until)
    return qs.order_by("-created_at", "-id")
