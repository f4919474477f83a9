"""Who may do what in a workspace: django-rules predicates over the member's role.

Predicates read the membership of the user in the tenant the connection is on, cached on
the user object per schema, so a check costs no query after the middleware's lookup.
"""

import rules
from django.db import connection

from .models import Membership, Role

ADMIN_ROLES = {Role.OWNER, Role.ADMIN}
MANAGER_ROLES = {Role.OWNER, Role.ADMIN, Role.MANAGER}
WRITER_ROLES = {Role.OWNER, Role.ADMIN, Role.MANAGER, Role.SALES, Role.SUPPORT}


def current_membership(user) -> Membership | None:
    """The user's membership in the tenant of the current connection (None on public)."""
    if user is None or not user.is_authenticated:
        return None
    schema = connection.schema_name
    cached = getattr(user, "_membership_cache", None)
    if cached is not None and cached[0] == schema:
        return cached[1]
    tenant = getattr(connection, "tenant", None)
    membership = None
    if tenant is not None and getattr(tenant, "pk", None):
        membership = Membership.objects.filter(user=user, tenant_id=tenant.pk).first()
    user._membership_cache = (schema, membership)
    return membership


def has_role(*roles):
    allowed = frozenset(roles)

    @rules.predicate(name=f"has_role({','.join(sorted(allowed))})")
    def predicate(user):
        membership = current_membership(user)
        return membership is not None and membership.role in allowed

    return predicate


is_member = rules.predicate(lambda user: current_membership(user) is not None, name="is_member")
is_owner = has_role(Role.OWNER)
is_admin = has_role(*ADMIN_ROLES)
is_manager = has_role(*MANAGER_ROLES)
can_write = has_role(*WRITER_ROLES)


@rules.predicate
def can_manage_member(user, membership):
    """Owners manage everyone; admins manage everyone but owners."""
    if membership is None:
        return is_admin(user)
    if membership.role == Role.OWNER:
        return is_owner(user)
    return is_admin(user)


rules.add_perm("workspace.view", is_member)
rules.add_perm("workspace.write", can_write)
rules.add_perm("workspace.change_settings", is_admin)
# Reaching the settings area at all: admins, and managers for the sales set-up tabs.
rules.add_perm("workspace.open_settings", is_manager)
rules.add_perm("workspace.change_security", is_admin)
rules.add_perm("workspace.view_security_log", is_admin)
rules.add_perm("workspace.manage_members", is_admin)
rules.add_perm("workspace.manage_member", can_manage_member)
rules.add_perm("workspace.grant_owner", is_owner)


def can(user, perm: str, obj=None) -> bool:
    """Whether `user` may do `perm` in the current workspace. Always ask this, never
    user.has_perm(): Django lets superusers pass every has_perm() check, and workspace
    roles must bind everyone."""
    return rules.has_perm(perm, user, obj)


def roles_grantable_by(user) -> list[str]:
    """Roles `user` may give to others in the current workspace."""
    if is_owner(user):
        return list(Role.values)
    if is_admin(user):
        return [r for r in Role.values if r != Role.OWNER]
    return []
