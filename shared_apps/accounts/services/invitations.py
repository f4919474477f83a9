"""Invitations: owners and admins invite people by e-mail with a role.

The e-mailed token is random; only its SHA-256 is stored. Accepting is single-use and
atomic with the membership it creates.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from allauth.account.models import EmailAddress
from billing.entitlements import entitlement_check
from shared_apps.audit.models import EventKind
from shared_apps.audit.services import security_event_record
from tenants.hosts import tenant_url

from ..errors import InvitationError, PermissionDeniedError
from ..models import Invitation, Membership
from ..rules import roles_grantable_by


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_find(*, tenant, token: str) -> Invitation:
    """The invitation behind `token` in `tenant`, if it can still be accepted."""
    invitation = Invitation.objects.filter(tenant=tenant, token_hash=_hash(token or "")).select_related("tenant").first()
    if invitation is None:
        raise InvitationError(code="invitation_invalid")
    if invitation.accepted_at is not None:
        raise InvitationError(_("This invitation has already been accepted."), code="invitation_used")
    if invitation.revoked_at is not None:
        raise InvitationError(_("This invitation has been withdrawn."), code="invitation_revoked")
    if invitation.is_expired:
        raise InvitationError(
            _("This invitation has expired. Ask %(workspace)s for a new one.") % {"workspace": invitation.tenant.name},
            code="invitation_expired",
        )
    return invitation


def _send(invitation: Invitation, token: str, *, request) -> None:
    from tenant_apps.workspace.selectors import workspace_language
    from themes.selectors import branding_get

    tenant = invitation.tenant
    url = tenant_url(tenant, f"/invite/{token}/")
    with translation.override(workspace_language()):
        context = {
            "workspace": tenant,
            "inviter": invitation.invited_by,
            "role": invitation.get_role_display(),
            "url": url,
            "expires_at": invitation.expires_at,
            "brand": branding_get(),
        }
        subject = _("%(inviter)s invited you to %(workspace)s on Tessera") % {
            "inviter": invitation.invited_by.display_name if invitation.invited_by else tenant.name,
            "workspace": tenant.name,
        }
        text = render_to_string("accounts/email/invitation.txt", context)
        html = render_to_string("accounts/email/invitation.html", context, request=request)
    message = EmailMultiAlternatives(subject, text, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    message.send()


def invitation_create(*, tenant, email: str, role: str, actor, request=None) -> Invitation:
    """Invite `email` to `tenant` as `role` and e-mail the link (after commit). The
    invitation takes one of the plan's seats until it is accepted, withdrawn or expires
    (billing.errors.PlanLimitReached when there is none left)."""
    email = get_user_model().objects.normalize_email(email).strip().lower()
    if role not in roles_grantable_by(actor):
        raise PermissionDeniedError(_("You cannot invite people with this role."))
    if not EmailAddress.objects.filter(user=actor, verified=True).exists():
        raise InvitationError(
            _("Please confirm your own e-mail address before inviting others."), code="inviter_unverified"
        )
    if Membership.objects.filter(tenant=tenant, user__email__iexact=email).exists():
        raise InvitationError(_("%(email)s is already a member.") % {"email": email}, code="already_member")
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            entitlement_check(tenant, "seats", 1)
            invitation = Invitation.objects.create(
                tenant=tenant,
                email=email,
                role=role,
                invited_by=actor,
                token_hash=_hash(token),
                expires_at=timezone.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
            )
            security_event_record(
                kind=EventKind.INVITATION_SENT, request=request, actor=actor, tenant=tenant, email=email, role=role
            )
            _send(invitation, token, request=request)
    except IntegrityError as exc:
        raise InvitationError(
            _("%(email)s already has an open invitation. Resend it instead.") % {"email": email},
            code="invitation_exists",
        ) from exc
    return invitation


def invitation_resend(*, invitation: Invitation, actor, request=None) -> Invitation:
    """A fresh link and expiry for an open invitation; the old link stops working."""
    if invitation.role not in roles_grantable_by(actor):
        raise PermissionDeniedError()
    if not invitation.is_open:
        raise InvitationError(_("This invitation is no longer open."), code="invitation_closed")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation.token_hash = _hash(token)
        invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
        invitation.invited_by = actor
        invitation.save(update_fields=["token_hash", "expires_at", "invited_by"])
        security_event_record(
            kind=EventKind.INVITATION_SENT, request=request, actor=actor, tenant=invitation.tenant,
            email=invitation.email, role=invitation.role, resent=True,
        )
        _send(invitation, token, request=request)
    return invitation


def invitation_revoke(*, invitation: Invitation, actor, request=None) -> None:
    if invitation.role not in roles_grantable_by(actor):
        raise PermissionDeniedError()
    with transaction.atomic():
        updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if not updated:
            raise InvitationError(_("This invitation is no longer open."), code="invitation_closed")
        security_event_record(
            kind=EventKind.INVITATION_REVOKED, request=request, actor=actor, tenant=invitation.tenant,
            email=invitation.email,
        )


def invitation_accept(*, tenant, token: str, user, request=None) -> Membership:
    """Turn the invitation into a membership of `user` (whose e-mail it must be)."""
    with transaction.atomic():
        invitation = invitation_find(tenant=tenant, token=token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise InvitationError(_("This invitation has already been accepted."), code="invitation_used")
        if invitation.email.lower() != user.email.lower():
            raise InvitationError(
                _("This invitation is for %(email)s.") % {"email": invitation.email}, code="invitation_other_user"
            )
        if not Membership.objects.filter(user=user, tenant=tenant).exists():
            # The invitation already holds its seat: refused only when the workspace is
            # over its plan's seats (after a downgrade).
            entitlement_check(tenant, "seats", 0)
        membership, created = Membership.objects.get_or_create(
            user=user, tenant=tenant, defaults={"role": invitation.role, "invited_by": invitation.invited_by}
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        # The link reached this inbox, so the address is proven.
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        security_event_record(
            kind=EventKind.INVITATION_ACCEPTED, request=request, actor=user, tenant=tenant, role=membership.role
        )
    return membership


def invitation_accept_new_account(*, tenant, token: str, full_name: str, password: str, language: str = "", request=None):
    """Create the invitee's account (its address counts as verified) and membership,
    together or not at all. Returns the new user."""
    from .users import user_create

    with transaction.atomic():
        invitation_find(tenant=tenant, token=token)
        user = user_create(
            email=Invitation.objects.get(tenant=tenant, token_hash=_hash(token)).email,
            password=password,
            full_name=full_name,
            language=language,
            verified=True,
        )
        invitation_accept(tenant=tenant, token=token, user=user, request=request)
    return user
