"""Reads of identity data."""

from allauth.account.models import EmailAddress
from django.core.cache import caches
from django.db.models import Count, Q

from .models import Invitation, Membership, UserSession


def memberships_for_user(user):
    """The user's workspaces, ready ones only, by name."""
    return (
        Membership.objects.filter(user=user, tenant__is_ready=True)
        .select_related("tenant")
        .order_by("tenant__name")
    )


def workspace_admins(*, tenant) -> list:
    """The workspace's active owners and admins (users), oldest membership first: who hears
    of what needs someone who can act on the whole workspace."""
    from .models import Role

    return [m.user for m in Membership.objects.filter(
        tenant_id=tenant.pk, user__is_active=True, role__in=(Role.OWNER, Role.ADMIN)
    ).select_related("user").order_by("pk")]


def member_list(*, tenant):
    return (
        Membership.objects.filter(tenant=tenant)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def invitation_list_open(*, tenant):
    return Invitation.objects.filter(tenant=tenant, accepted_at__isnull=True, revoked_at__isnull=True).select_related(
        "invited_by"
    )


def session_list_for_user(*, user):
    return UserSession.objects.filter(user=user).select_related("tenant", "impersonator").order_by("-last_seen_at")


def session_list_for_tenant(*, tenant):
    return (
        UserSession.objects.filter(tenant=tenant, impersonator__isnull=True)
        .select_related("user")
        .order_by("-last_seen_at")
    )


def member_stats(*, tenant) -> dict:
    """Counts for the dashboard: members, members with 2FA, open invitations, by role."""
    stats = Membership.objects.filter(tenant=tenant).aggregate(
        members=Count("pk"), with_2fa=Count("pk", filter=Q(user__two_factor_enabled=True))
    )
    stats["invitations"] = Invitation.objects.filter(
        tenant=tenant, accepted_at__isnull=True, revoked_at__isnull=True
    ).count()
    stats["by_role"] = dict(
        Membership.objects.filter(tenant=tenant).values_list("role").annotate(n=Count("pk")).values_list("role", "n")
    )
    return stats


def _email_verified_key(user_id) -> str:
    return f"accounts:email-verified:{user_id}"


def email_is_verified(user) -> bool:
    """Whether the user has confirmed an address; cached platform-wide (the "shared"
    cache, since confirmation happens on the public host) until it changes."""
    key = _email_verified_key(user.pk)
    verified = caches["shared"].get(key)
    if verified is None:
        verified = EmailAddress.objects.filter(user=user, verified=True).exists()
        caches["shared"].set(key, verified, 3600)
    return verified


def email_verified_forget(user_id) -> None:
    caches["shared"].delete(_email_verified_key(user_id))
