"""Writing the security log."""

from django.db import connection

from .models import SecurityEvent


def client_ip(request) -> str | None:
    """The client's address as allauth sees it (ALLAUTH_TRUSTED_PROXY_COUNT or
    ALLAUTH_TRUSTED_CLIENT_IP_HEADER behind a proxy), so that rate limits, the security
    log and the session list agree."""
    if request is None:
        return None
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request) or None
    except Exception:  # a misconfigured proxy count must not break logging
        return request.META.get("REMOTE_ADDR") or None


def security_event_record(*, kind, request=None, actor=None, tenant=None, actor_email="", **data) -> SecurityEvent:
    """Append one event; the tenant defaults to the request's (never the public one)."""
    if tenant is None and request is not None:
        candidate = getattr(request, "tenant", None)
        if candidate is not None and getattr(candidate, "pk", None):
            tenant = candidate
    if tenant is None:
        candidate = getattr(connection, "tenant", None)
        if candidate is not None and getattr(candidate, "pk", None):
            tenant = candidate
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    impersonator_email = ""
    if request is not None and hasattr(request, "session"):
        impersonator_email = request.session.get("tessera.impersonator_email", "")
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ""
    return SecurityEvent.objects.create(
        kind=kind,
        tenant=tenant,
        tenant_slug=getattr(tenant, "slug", "") or "",
        actor=actor,
        actor_email=(actor.email if actor else actor_email)[:254],
        impersonator_email=impersonator_email,
        ip=client_ip(request),
        user_agent=user_agent,
        data=data,
    )
