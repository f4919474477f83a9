"""Platform staff acting as a member of a workspace: time-limited, bannered, audited."""

from django.utils.translation import gettext as _

from shared_apps.audit.models import EventKind
from shared_apps.audit.services import security_event_record

from ..binding import IMPERSONATOR_EMAIL_KEY, IMPERSONATOR_ID_KEY, is_impersonating
from ..errors import PermissionDeniedError
from ..models import Membership
from .handoff import handoff_issue


def impersonation_start(*, staff, membership: Membership, reason: str, request) -> str:
    """Audit the start and return the hand-off URL that opens the member's session."""
    if not (staff.is_staff and staff.is_active and staff.is_verified()):
        raise PermissionDeniedError()
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise PermissionDeniedError(_("Say why you need to act as this member (at least 5 characters)."))
    security_event_record(
        kind=EventKind.IMPERSONATION_STARTED,
        request=request,
        actor=staff,
        tenant=membership.tenant,
        user=membership.user.email,
        reason=reason[:500],
    )
    return handoff_issue(user=membership.user, tenant=membership.tenant, impersonator=staff)


def impersonation_end(*, request, expired: bool = False) -> None:
    """Close an impersonation session (on request or at its time limit)."""
    if not is_impersonating(request):
        return
    security_event_record(
        kind=EventKind.IMPERSONATION_ENDED,
        request=request,
        actor=request.user,
        user=request.user.email,
        impersonator=request.session.get(IMPERSONATOR_EMAIL_KEY, ""),
        expired=expired,
    )
    request.session.pop(IMPERSONATOR_ID_KEY, None)
