"""Reads of the portal's access data (tenant schema; users are read through the public table)."""

from django.db import connection
from django.db.models import Value
from django.db.models.functions import Lower

from tenant_apps.contacts.models import Contact, ContactEmail

from .models import PortalAccess, PortalSettings


def portal_settings_get() -> PortalSettings:
    """The workspace's portal policy (an unsaved default before anyone saved it)."""
    return PortalSettings.objects.first() or PortalSettings()


def portal_accesses_list(*, user=None):
    """Portal accesses with their customer and contact, newest first: every one, or with
    `user` only those of contacts that user may see."""
    accesses = PortalAccess.objects.select_related("user", "contact", "contact__company", "invited_by")
    if user is not None:
        from tenant_apps.contacts.models import Contact
        from tenant_apps.records.visibility import visible

        accesses = accesses.filter(contact__in=visible(Contact.objects.all(), user))
    return accesses.order_by("-created_at", "pk")


def portal_access_for_contact(contact) -> PortalAccess | None:
    return PortalAccess.objects.select_related("user").filter(contact=contact).first()


def portal_access_for_email(email: str) -> PortalAccess | None:
    """The access whose customer signs in with `email` (case-insensitive), any status."""
    return (
        PortalAccess.objects.select_related("user", "contact")
        .filter(user__email__iexact=(email or "").strip())
        .first()
    )


def contact_for_email(email: str) -> Contact | None:
    """The oldest contact with `email` among its addresses (case-insensitive)."""
    email = (email or "").strip()
    if not email:
        return None
    # Compared as lower(email) = lower(%s), which the contact_email_idx and
    # contactemail_unique indexes serve (iexact compiles to UPPER(), which none does).
    key = Lower(Value(email))
    found = [
        Contact.objects.annotate(address=Lower("email")).filter(address=key)
        .order_by("pk").values_list("pk", flat=True).first(),
        ContactEmail.objects.annotate(address=Lower("email")).filter(address=key)
        .order_by("contact_id").values_list("contact_id", flat=True).first(),
    ]
    found = [pk for pk in found if pk is not None]
    return Contact.objects.filter(pk=min(found)).first() if found else None


def portal_contact_panel(*, contact, user) -> dict | None:
    """What the contact's page shows of the portal: the access (if any) and whether `user`
    may invite or disable. None when the workspace's plan has no portal."""
    from billing.entitlements import entitlement_allows
    from shared_apps.accounts.rules import can

    if not entitlement_allows(connection.tenant, "portal"):
        return None
    return {"access": portal_access_for_contact(contact), "can_invite": can(user, "portal.invite")}


def email_is_verified(user) -> bool:
    """Whether `user`'s sign-in address has been proven (a link to it was followed). A
    password alone never opens the portal for an unproven address: anyone may sign up on the
    public site with someone else's address and choose its password."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
