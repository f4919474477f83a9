"""Changing and removing members of a workspace."""

from django.db import transaction
from django.utils.translation import gettext as _

from shared_apps.audit.models import EventKind
from shared_apps.audit.services import security_event_record

from ..errors import MembershipError, PermissionDeniedError
from ..models import Membership, Role
from ..rules import can_manage_member, roles_grantable_by
from .sessions import sessions_revoke_all


def _other_owners(membership: Membership) -> int:
    """Owners besides this one, counted under a lock on every owner row of the workspace,
    so that two owners demoting or removing each other at once cannot leave none."""
    owners = list(
        Membership.objects.select_for_update().filter(tenant_id=membership.tenant_id, role=Role.OWNER).order_by("pk")
    )
    return sum(1 for owner in owners if owner.pk != membership.pk)


def membership_change_role(*, membership: Membership, role: str, actor, request=None) -> Membership:
    """Give a member another role; the last owner stays an owner."""
    if not can_manage_member(actor, membership) or role not in roles_grantable_by(actor):
        raise PermissionDeniedError()
    with transaction.atomic():
        # Owner rows first, in pk order (the same order everywhere), then this row.
        other_owners = _other_owners(membership)
        membership = Membership.objects.select_for_update().select_related("user", "tenant").get(pk=membership.pk)
        if membership.role == role:
            return membership
        if membership.role == Role.OWNER and not other_owners:
            raise MembershipError(_("A workspace needs at least one owner."), code="last_owner")
        previous = membership.role
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
        security_event_record(
            kind=EventKind.ROLE_CHANGED, request=request, actor=actor, tenant=membership.tenant,
            user=membership.user.email, old=previous, new=role,
        )
    return membership


def membership_remove(*, membership: Membership, actor, request=None) -> None:
    """Remove a member (or let a member leave); their sessions here are signed out."""
    is_self = membership.user_id == actor.pk
    if not is_self and not can_manage_member(actor, membership):
        raise PermissionDeniedError()
    with transaction.atomic():
        other_owners = _other_owners(membership)
        membership = Membership.objects.select_for_update().select_related("user", "tenant").get(pk=membership.pk)
        if membership.role == Role.OWNER and not other_owners:
            raise MembershipError(_("A workspace needs at least one owner."), code="last_owner")
        membership.delete()
        security_event_record(
            kind=EventKind.MEMBER_REMOVED, request=request, actor=actor, tenant=membership.tenant,
            user=membership.user.email,
        )
        sessions_revoke_all(user=membership.user, actor=actor, request=request, tenant=membership.tenant, keep_current=False)
