"""Who may use a workspace's customer portal. Tenant schema.

A portal customer is the platform's one `User` (e-mail identity, public schema) joined to one
of the workspace's contacts by a `PortalAccess` row. The contact's company decides what the
customer sees (see portal/access.py); a PortalAccess never opens the staff app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.records.models import user_reference


class PortalSettings(models.Model):
    """The workspace's portal policy. One row."""

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    # Anyone whose e-mail belongs to a known contact may sign up without an invitation.
    self_signup = models.BooleanField(_("let known contacts sign up themselves"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("portal settings")
        constraints = [models.CheckConstraint(condition=models.Q(singleton=True), name="portalsettings_singleton")]

    def __str__(self):
        return "Portal settings"


class PortalAccess(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Active")
        DISABLED = "disabled", _("Disabled")

    user = user_reference(_("user"), null=False, blank=False)
    contact = models.OneToOneField(
        "contacts.Contact", on_delete=models.CASCADE, related_name="portal_access", verbose_name=_("contact")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_by = user_reference(_("invited by"))
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    last_login_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("portal access")
        verbose_name_plural = _("portal accesses")
        constraints = [models.UniqueConstraint(fields=["user"], name="portalaccess_one_per_user")]

    def __str__(self):
        return f"{self.user_id} → {self.contact_id}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class PortalToken(models.Model):
    """A link e-mailed to a customer: sign in, accept an invitation, finish a self-signup or
    reset a password. Only the SHA-256 of the random token is stored; a link works once
    (used_at is set by a conditional UPDATE, so two clicks cannot both pass) and until
    expires_at. Tokens live in the workspace's schema: another workspace never finds them."""

    class Purpose(models.TextChoices):
        LOGIN = "login", _("Sign-in link")
        INVITE = "invite", _("Invitation")
        SIGNUP = "signup", _("Sign-up")
        RESET = "reset", _("Password reset")

    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField(_("e-mail"))
    # Empty for a self-signup: the access is created when the link is followed.
    access = models.ForeignKey(
        PortalAccess, null=True, blank=True, on_delete=models.CASCADE, related_name="tokens", verbose_name=_("access")
    )
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("portal link")
        verbose_name_plural = _("portal links")
        indexes = [models.Index(fields=["access", "purpose"], name="portaltoken_access_idx")]

    def __str__(self):
        return f"{self.purpose} {self.email}"
