"""Live sessions: registered at login, listed in security settings, revocable."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from shared_apps.audit.models import EventKind
from shared_apps.audit.services import client_ip, security_event_record

from ..binding import IMPERSONATOR_ID_KEY, LAST_SEEN_KEY
from ..errors import PermissionDeniedError
from ..models import UserSession

TOUCH_EVERY = timedelta(minutes=5)


def session_register(*, request, user) -> None:
    """Record the session just created by a login (called from user_logged_in)."""
    if not request.session.session_key:
        request.session.save()
    tenant = getattr(request, "tenant", None)
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "tenant": tenant if getattr(tenant, "pk", None) else None,
            "surface": getattr(request, "surface", "public"),
            "ip": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "impersonator_id": request.session.get(IMPERSONATOR_ID_KEY),
            "last_seen_at": timezone.now(),
        },
    )
    request.session[LAST_SEEN_KEY] = timezone.now().timestamp()


def session_touch(*, request) -> None:
    """Update last-seen at most every few minutes (one UPDATE, no read)."""
    now = timezone.now()
    last = request.session.get(LAST_SEEN_KEY, 0)
    if now.timestamp() - last < TOUCH_EVERY.total_seconds():
        return
    request.session[LAST_SEEN_KEY] = now.timestamp()
    if request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).update(last_seen_at=now)


def session_forget(*, session_key: str) -> None:
    UserSession.objects.filter(session_key=session_key).delete()


def session_revoke(*, user_session: UserSession, actor, request=None) -> None:
    """Sign a session out wherever it is: one's own, or a member's in the current
    workspace by someone who manages that member."""
    if user_session.user_id != actor.pk:
        from ..models import Membership
        from ..rules import can

        membership = Membership.objects.filter(user_id=user_session.user_id, tenant_id=user_session.tenant_id).first()
        if membership is None or not can(actor, "workspace.manage_member", membership):
            raise PermissionDeniedError()
    with transaction.atomic():
        Session.objects.filter(session_key=user_session.session_key).delete()
        user_session.delete()
        security_event_record(
            kind=EventKind.SESSION_REVOKED,
            request=request,
            actor=actor,
            tenant=user_session.tenant,
            user=user_session.user.email,
            surface=user_session.surface,
        )


def sessions_revoke_all(*, user, actor, request=None, tenant=None, keep_current: bool = True) -> int:
    """Sign `user` out everywhere (or in `tenant` only), except the current session."""
    sessions = UserSession.objects.filter(user=user)
    if tenant is not None:
        sessions = sessions.filter(tenant=tenant)
    if keep_current and request is not None and request.session.session_key:
        sessions = sessions.exclude(session_key=request.session.session_key)
    keys = list(sessions.values_list("session_key", flat=True))
    with transaction.atomic():
        Session.objects.filter(session_key__in=keys).delete()
        UserSession.objects.filter(session_key__in=keys).delete()
        if keys:
            security_event_record(
                kind=EventKind.SESSION_REVOKED, request=request, actor=actor, tenant=tenant,
                user=user.email, count=len(keys),
            )
    return len(keys)


def sessions_cleanup() -> int:
    """Forget UserSession rows whose Django session has expired or gone."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    deleted, _ = UserSession.objects.exclude(session_key__in=live).delete()
    return deleted
