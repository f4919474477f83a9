"""The platform's security log. Public schema, append-only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOGOUT = "logout", _("Signed out")
    SIGNUP = "signup", _("Workspace created")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset")
    EMAIL_CONFIRMED = "email_confirmed", _("E-mail confirmed")
    TWO_FACTOR_ENABLED = "2fa_enabled", _("Two-factor authentication turned on")
    TWO_FACTOR_DISABLED = "2fa_disabled", _("Two-factor authentication turned off")
    TWO_FACTOR_FAILED = "2fa_failed", _("Wrong two-factor code")
    RECOVERY_CODES_REGENERATED = "recovery_regenerated", _("Recovery codes regenerated")
    RECOVERY_CODE_USED = "recovery_used", _("Recovery code used")
    TWO_FACTOR_POLICY = "2fa_policy", _("Two-factor policy changed")
    INVITATION_SENT = "invitation_sent", _("Invitation sent")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
    ROLE_CHANGED = "role_changed", _("Role changed")
    MEMBER_REMOVED = "member_removed", _("Member removed")
    SESSION_REVOKED = "session_revoked", _("Session signed out")
    SESSION_REPLAY_BLOCKED = "session_replay", _("Session used on another host")
    IMPERSONATION_STARTED = "impersonation_started", _("Impersonation started")
    IMPERSONATION_ENDED = "impersonation_ended", _("Impersonation ended")
    TENANT_SUSPENDED = "tenant_suspended", _("Workspace suspended")
    TENANT_RESUMED = "tenant_resumed", _("Workspace resumed")
    TENANT_DELETED = "tenant_deleted", _("Workspace deleted")
    TENANT_EXPORTED = "tenant_exported", _("Workspace exported")
    TENANT_IMPORTED = "tenant_imported", _("Workspace imported")
    DATA_EXPORTED = "data_exported", _("Data exported")
    DATA_ERASED = "data_erased", _("Personal data erased")
    VISIBILITY_CHANGED = "visibility_changed", _("Record visibility changed")
    API_KEY_CREATED = "api_key_created", _("API key created")
    API_KEY_REVOKED = "api_key_revoked", _("API key revoked")
    PLAN_CHANGED = "plan_changed", _("Plan changed")
    PLAN_EDITED = "plan_edited", _("Plan catalogue edited")
    DOMAIN_ADDED = "domain_added", _("Custom domain added")
    DOMAIN_VERIFIED = "domain_verified", _("Custom domain verified")
    DOMAIN_REMOVED = "domain_removed", _("Custom domain removed")
    DOMAIN_PRIMARY = "domain_primary", _("Primary domain changed")
    PAYMENTS_CONNECTED = "payments_connected", _("Stripe account connected for card payments")


class SecurityEvent(models.Model):
    kind = models.CharField(_("event"), max_length=32, choices=EventKind.choices)
    tenant = models.ForeignKey(
        "tenants.Tenant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("workspace")
    )
    # Kept by value as well, so the log still reads after a user or workspace is deleted.
    tenant_slug = models.CharField(max_length=40, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    actor_email = models.CharField(max_length=254, blank=True)
    impersonator_email = models.CharField(max_length=254, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "-created_at"], name="secevent_kind_idx"),
            models.Index(fields=["tenant", "-created_at"], name="secevent_tenant_idx"),
            models.Index(fields=["actor", "-created_at"], name="secevent_actor_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind} {self.actor_email}"
