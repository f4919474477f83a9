"""Portal access: invitations, self-signup, sign-in links, passwords, disabling.

Every e-mailed link is a PortalToken: a random token of which only the SHA-256 is kept,
good once (a conditional UPDATE marks it used, so two clicks cannot both pass) and until it
expires. A link is consumed in the same transaction as what it does, so a refusal after the
consume leaves it usable. Requests for a link answer nothing about whether the address is
known: the caller shows the same page either way.
"""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from billing.entitlements import entitlement_allows, entitlement_require
from shared_apps.accounts.rules import can
from tenant_apps.activities.services import timeline_event

from .emails import portal_email_send, portal_link
from .errors import PortalAccessError, PortalError, PortalLinkError, PortalPermissionError
from .models import PortalAccess, PortalSettings, PortalToken
from .selectors import contact_for_email, portal_access_for_email, portal_settings_get

LOGIN_LINK_LIFETIME = timedelta(minutes=15)
INVITE_LINK_LIFETIME = timedelta(days=7)
SIGNUP_LINK_LIFETIME = timedelta(hours=24)
RESET_LINK_LIFETIME = timedelta(hours=1)

Purpose = PortalToken.Purpose
Status = PortalAccess.Status


def _hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def _normalise(email: str) -> str:
    email = get_user_model().objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def _token_issue(*, purpose: str, email: str, access: PortalAccess | None, lifetime: timedelta) -> str:
    """A new link; earlier unused links of the same purpose for the same address, or for the
    same access, stop working."""
    now = timezone.now()
    earlier = Q(email__iexact=email)
    if access is not None and access.pk:
        earlier |= Q(access=access)
    PortalToken.objects.filter(earlier, purpose=purpose, used_at__isnull=True).update(used_at=now)
    token = secrets.token_urlsafe(32)
    PortalToken.objects.create(
        purpose=purpose, token_hash=_hash(token), email=email, access=access, expires_at=now + lifetime
    )
    return token


def portal_token_check(*, token: str, purpose: str) -> PortalToken:
    """The link behind `token` if it can still be used; PortalLinkError (with a code saying
    why) if not. Reads only: the link is consumed by the service that acts on it."""
    row = PortalToken.objects.select_related("access", "access__user").filter(token_hash=_hash(token)).first()
    if row is None or row.purpose != purpose:
        raise PortalLinkError()
    if row.used_at is not None:
        raise PortalLinkError(_("This link has already been used. Ask for a new one below."), code="link_used")
    if row.expires_at <= timezone.now():
        raise PortalLinkError(_("This link has expired. Ask for a new one below."), code="link_expired")
    if row.access is not None and row.email.lower() != row.access.user.email.lower():
        # The access now belongs to another address (the contact's e-mail was corrected, or
        # someone else signed up for it): a link mailed to the old address opens nothing.
        raise PortalLinkError(_("This link has been withdrawn. Ask for a new one below."), code="link_withdrawn")
    return row


def _token_consume(*, token: str, purpose: str) -> PortalToken:
    """Mark the link used, exactly once: of two concurrent clicks one passes."""
    row = portal_token_check(token=token, purpose=purpose)
    now = timezone.now()
    taken = PortalToken.objects.filter(pk=row.pk, used_at__isnull=True, expires_at__gt=now).update(used_at=now)
    if not taken:
        raise PortalLinkError(_("This link has already been used. Ask for a new one below."), code="link_used")
    return row


def _require_portal() -> None:
    entitlement_require(connection.tenant, "portal")


def _user_for(email: str, *, full_name: str = ""):
    """The platform's account for `email`, created (without a password) if there is none."""
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email).first()
    if user is not None:
        return user
    user = user_model(email=email, full_name=full_name[:150])
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    except IntegrityError:
        user = user_model.objects.get(email__iexact=email)  # created meanwhile by another request
    return user


def _verify_email(user) -> None:
    """The customer followed a link sent to this address: it is theirs.

    If the address had not been proven before, whoever made the account (a public sign-up
    does not wait for the confirmation) may not be the mailbox's owner: their password is
    removed and their sessions end, so that the account is the customer's alone from here."""
    from shared_apps.accounts.services.sessions import sessions_revoke_all

    already = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    if not already:
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
        sessions_revoke_all(user=user, actor=user, keep_current=False)


def _activate(access: PortalAccess) -> PortalAccess:
    now = timezone.now()
    access.status = Status.ACTIVE
    access.activated_at = access.activated_at or now
    access.last_login_at = now
    access.save(update_fields=["status", "activated_at", "last_login_at", "updated_at"])
    return access


# --- staff side -------------------------------------------------------------------


def _require_perm(actor, perm: str) -> None:
    if not can(actor, perm):
        raise PortalPermissionError()


def _send_invitation(access: PortalAccess, *, actor) -> None:
    token = _token_issue(purpose=Purpose.INVITE, email=access.user.email, access=access, lifetime=INVITE_LINK_LIFETIME)
    portal_email_send(
        to=access.user.email, user=access.user, template="invitation",
        subject=gettext_lazy("You are invited to the customer portal of %(workspace)s"),
        context={"url": portal_link("portal_invite_accept", token), "inviter": actor,
                 "expires_at": timezone.now() + INVITE_LINK_LIFETIME, "contact": access.contact},
    )


def portal_access_invite(*, contact, actor) -> PortalAccess:
    """Invite `contact` (by its primary e-mail) to the portal and e-mail the link; a
    disabled access is invited again. The invitation and the timeline entry are written
    together with the e-mail, or nothing is."""
    _require_perm(actor, "portal.invite")
    _require_portal()
    email = _normalise(contact.email)
    if not email:
        raise PortalError(_("This contact has no e-mail address to invite."), code="contact_without_email")
    with transaction.atomic():
        access = PortalAccess.objects.select_for_update().filter(contact=contact).first()
        if access is not None and access.status == Status.ACTIVE:
            raise PortalAccessError(_("This contact already uses the portal."), code="already_active")
        user = _user_for(email, full_name=contact.full_name)
        other = PortalAccess.objects.filter(user=user).exclude(contact=contact).select_related("contact").first()
        if other is not None:
            raise PortalAccessError(
                _("%(email)s already has portal access as %(contact)s.") % {"email": email, "contact": other.contact},
                code="email_in_use",
            )
        if access is None:
            access = PortalAccess(contact=contact, user=user)
        access.user = user
        access.status = Status.INVITED
        access.invited_by = actor
        access.invited_at = timezone.now()
        access.save()
        timeline_event(event="portal_invited", actor=actor, contact=contact, data={"email": email})
        _send_invitation(access, actor=actor)
    return access


def portal_access_resend(*, access: PortalAccess, actor) -> PortalAccess:
    """A fresh invitation link (the old one stops working)."""
    _require_perm(actor, "portal.invite")
    _require_portal()
    with transaction.atomic():
        access = PortalAccess.objects.select_for_update().select_related("user", "contact").get(pk=access.pk)
        if access.status != Status.INVITED:
            raise PortalAccessError(_("Only an open invitation can be sent again."), code="not_invited")
        access.invited_by = actor
        access.invited_at = timezone.now()
        access.save(update_fields=["invited_by", "invited_at", "updated_at"])
        _send_invitation(access, actor=actor)
    return access


def portal_access_disable(*, access: PortalAccess, actor) -> PortalAccess:
    """Close the customer's portal: open links stop working and their sessions end on the
    next request (the session check wants an active access)."""
    _require_perm(actor, "portal.invite")
    with transaction.atomic():
        access = PortalAccess.objects.select_for_update().select_related("user", "contact").get(pk=access.pk)
        if access.status == Status.DISABLED:
            raise PortalAccessError(_("This portal access is already disabled."), code="already_disabled")
        access.status = Status.DISABLED
        access.save(update_fields=["status", "updated_at"])
        PortalToken.objects.filter(access=access, used_at__isnull=True).update(used_at=timezone.now())
        timeline_event(event="portal_disabled", actor=actor, contact=access.contact, data={"email": access.user.email})
    return access


def portal_access_enable(*, access: PortalAccess, actor) -> PortalAccess:
    """Open a disabled access again: active if the customer had accepted, else invited anew."""
    _require_perm(actor, "portal.invite")
    _require_portal()
    with transaction.atomic():
        access = PortalAccess.objects.select_for_update().select_related("user", "contact").get(pk=access.pk)
        if access.status != Status.DISABLED:
            raise PortalAccessError(_("This portal access is not disabled."), code="not_disabled")
        if access.activated_at:
            access.status = Status.ACTIVE
            access.save(update_fields=["status", "updated_at"])
            timeline_event(event="portal_enabled", actor=actor, contact=access.contact, data={"email": access.user.email})
        else:
            access.status = Status.INVITED
            access.invited_by = actor
            access.invited_at = timezone.now()
            access.save(update_fields=["status", "invited_by", "invited_at", "updated_at"])
            timeline_event(event="portal_invited", actor=actor, contact=access.contact, data={"email": access.user.email})
            _send_invitation(access, actor=actor)
    return access


def portal_accesses_merge(*, primary, other_ids: list[int]) -> None:
    """Contacts `other_ids` are being merged into `primary` (contact_merge, in its
    transaction): the one live portal access among them stays, on the primary; a disabled
    one of a duplicate goes with it. Two live ones refuse the merge, naming both addresses
    (a customer would silently lose their sign-in)."""
    from tenant_apps.records.errors import RecordValidationError

    accesses = list(PortalAccess.objects.select_for_update(of=("self",)).select_related("user")
                    .filter(contact_id__in=[primary.pk, *other_ids]).order_by("pk"))
    live = [a for a in accesses if a.status != PortalAccess.Status.DISABLED]
    if len(live) > 1:
        raise RecordValidationError({"duplicates": _(
            "Only one portal user can stay with a contact, and these contacts have %(count)s: %(emails)s. "
            "Disable portal access for all but one of them first."
        ) % {"count": len(live), "emails": ", ".join(sorted(a.user.email for a in live))}})
    if live and live[0].contact_id != primary.pk:
        PortalAccess.objects.filter(contact_id=primary.pk).delete()  # the primary's disabled one, if any
        PortalAccess.objects.filter(pk=live[0].pk).update(contact_id=primary.pk, updated_at=timezone.now())


def portal_settings_update(*, self_signup: bool, actor) -> PortalSettings:
    _require_perm(actor, "portal.manage")
    with transaction.atomic():
        row, _created = PortalSettings.objects.select_for_update().get_or_create(singleton=True)
        row.self_signup = bool(self_signup)
        row.save(update_fields=["self_signup", "updated_at"])
    return row


# --- customer side ----------------------------------------------------------------


def portal_invite_accept(*, token: str, password: str = "") -> PortalAccess:
    """Accept an invitation: the address counts as verified, the access becomes active, and
    the password (optional) is set. Returns the access; the caller signs the customer in."""
    with transaction.atomic():
        row = portal_token_check(token=token, purpose=Purpose.INVITE)
        access = PortalAccess.objects.select_for_update().select_related("user", "contact").get(pk=row.access_id)
        if access.status == Status.DISABLED or not access.user.is_active:
            raise PortalLinkError(_("This invitation has been withdrawn."), code="link_withdrawn")
        if password:
            _password_validate(access.user, password)
        _token_consume(token=token, purpose=Purpose.INVITE)
        _verify_email(access.user)
        if password:
            access.user.set_password(password)
            access.user.save(update_fields=["password"])
        _activate(access)
        timeline_event(event="portal_joined", contact=access.contact, data={"email": access.user.email})
    return access


def _link_to_active_customer(*, email: str, purpose: str, lifetime, template: str, subject, url_name: str) -> None:
    """E-mail a `purpose` link if `email` belongs to an active customer here; otherwise do
    nothing. The caller answers the same either way."""
    email = _normalise(email)
    if not email or not entitlement_allows(connection.tenant, "portal"):
        return
    with transaction.atomic():
        access = portal_access_for_email(email)
        if access is None or access.status != Status.ACTIVE or not access.user.is_active:
            return
        token = _token_issue(purpose=purpose, email=email, access=access, lifetime=lifetime)
        portal_email_send(
            to=access.user.email, user=access.user, template=template, subject=subject,
            context={"url": portal_link(url_name, token), "minutes": int(lifetime.total_seconds() // 60)},
        )


def portal_login_link_request(*, email: str) -> None:
    """E-mail a sign-in link to an active customer (nothing for anyone else)."""
    _link_to_active_customer(
        email=email, purpose=Purpose.LOGIN, lifetime=LOGIN_LINK_LIFETIME, template="login_link",
        subject=gettext_lazy("Your sign-in link for %(workspace)s"), url_name="portal_magic_link",
    )


def portal_login_link_consume(*, token: str) -> PortalAccess:
    """Use a sign-in link. Returns the active access whose customer is to be signed in."""
    with transaction.atomic():
        row = _token_consume(token=token, purpose=Purpose.LOGIN)
        access = PortalAccess.objects.select_for_update().select_related("user").filter(pk=row.access_id).first()
        if access is None or access.status != Status.ACTIVE or not access.user.is_active:
            raise PortalLinkError(_("This link is not valid any more. Ask for a new one below."), code="link_withdrawn")
        _verify_email(access.user)
        access.last_login_at = timezone.now()
        access.save(update_fields=["last_login_at", "updated_at"])
    return access


def portal_signup_request(*, email: str) -> None:
    """Self-signup: if it is on and `email` is one of a contact's addresses, e-mail a link
    that finishes it (an existing customer gets a sign-in link instead). Otherwise nothing;
    the caller answers the same either way."""
    email = _normalise(email)
    if not email or not entitlement_allows(connection.tenant, "portal") or not portal_settings_get().self_signup:
        return
    access = portal_access_for_email(email)
    if access is not None and access.status == Status.ACTIVE:
        portal_login_link_request(email=email)
        return
    if access is not None and access.status == Status.DISABLED:
        return
    contact = contact_for_email(email)
    if contact is None or PortalAccess.objects.filter(contact=contact, status=Status.DISABLED).exists():
        return
    with transaction.atomic():
        token = _token_issue(purpose=Purpose.SIGNUP, email=email, access=None, lifetime=SIGNUP_LINK_LIFETIME)
        portal_email_send(
            to=email, user=None, template="signup",
            subject=gettext_lazy("Confirm your e-mail address for %(workspace)s"),
            context={"url": portal_link("portal_signup_confirm", token), "hours": 24},
        )


def portal_signup_confirm(*, token: str) -> PortalAccess:
    """Finish a self-signup: the account (created if needed, its address verified) and an
    active access for the contact the address belongs to."""
    with transaction.atomic():
        row = _token_consume(token=token, purpose=Purpose.SIGNUP)
        contact = contact_for_email(row.email)
        if contact is None or not portal_settings_get().self_signup:
            raise PortalLinkError(_("Sign-up is not open for this address any more."), code="link_withdrawn")
        user = _user_for(row.email, full_name=contact.full_name)
        access = PortalAccess.objects.select_for_update().filter(contact=contact).first()
        if access is not None and access.status == Status.DISABLED:
            raise PortalLinkError(_("Sign-up is not open for this address any more."), code="link_withdrawn")
        if PortalAccess.objects.filter(user=user).exclude(contact=contact).exists():
            raise PortalLinkError(_("This address already has portal access. Sign in instead."), code="email_in_use")
        if access is None:
            access = PortalAccess(contact=contact, user=user, invited_at=timezone.now())
            access.save()
        elif access.user_id != user.pk:
            access.user = user
            access.save(update_fields=["user", "updated_at"])
        _verify_email(user)
        _activate(access)
        timeline_event(event="portal_signed_up", contact=contact, data={"email": user.email})
    return access


def _password_validate(user, password: str) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise PortalError(" ".join(exc.messages), code="password_weak") from exc


def portal_password_reset_request(*, email: str) -> None:
    """E-mail a link to choose a new password to an active customer (nothing for anyone else)."""
    _link_to_active_customer(
        email=email, purpose=Purpose.RESET, lifetime=RESET_LINK_LIFETIME, template="password_reset",
        subject=gettext_lazy("Choose a new password for %(workspace)s"), url_name="portal_password_reset_confirm",
    )


def portal_password_reset_confirm(*, token: str, password: str) -> PortalAccess:
    """Set a new password from a reset link. Returns the access to sign in."""
    with transaction.atomic():
        row = portal_token_check(token=token, purpose=Purpose.RESET)
        access = PortalAccess.objects.select_related("user").filter(pk=row.access_id).first()
        if access is None or access.status != Status.ACTIVE or not access.user.is_active:
            raise PortalLinkError(_("This link is not valid any more. Ask for a new one below."), code="link_withdrawn")
        _password_validate(access.user, password)
        _token_consume(token=token, purpose=Purpose.RESET)
        _verify_email(access.user)  # first: it drops a password set before the address was proven
        access.user.set_password(password)
        access.user.save(update_fields=["password"])
    return access


def portal_password_set(*, access: PortalAccess, password: str, current_password: str = "") -> None:
    """Set or change the signed-in customer's password (the current one is needed if set)."""
    user = access.user
    if user.has_usable_password() and not user.check_password(current_password or ""):
        raise PortalError(_("The current password is not right."), code="password_wrong")
    _password_validate(user, password)
    user.set_password(password)
    user.save(update_fields=["password"])
