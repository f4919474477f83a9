"""Tenants (workspaces) and the host names they answer on. Public schema."""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from .slugs import validate_slug


class Tenant(TenantMixin):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        TRIAL = "trial", _("Trial")
        SUSPENDED = "suspended", _("Suspended")

    slug = models.CharField(_("address"), max_length=40, unique=True, validators=[validate_slug])
    name = models.CharField(_("name"), max_length=120)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    plan = models.ForeignKey("billing.Plan", on_delete=models.PROTECT, related_name="tenants", verbose_name=_("plan"))
    # False while a schema is still being built by migrations (the slow fallback path).
    is_ready = models.BooleanField(_("ready"), default=False)
    # Security policy: every member must use a second factor in this workspace.
    require_2fa = models.BooleanField(_("require two-factor authentication"), default=False)
    # Record visibility: members with the sales role see only the records they own.
    sales_see_own_only = models.BooleanField(_("sales reps see only their own records"), default=False)
    suspended_reason = models.CharField(_("reason for suspension"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Schemas are made by tenants.services.provisioning, never as a side effect of save().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["slug"]
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")
        indexes = [
            models.Index(fields=["status"], name="tenant_status_idx"),
            models.Index(fields=["created_at"], name="tenant_created_idx"),
            models.Index(Lower("name"), name="tenant_name_lower_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_suspended(self) -> bool:
        return self.status == self.Status.SUSPENDED

    @property
    def email(self) -> str:
        """Where Stripe sends receipts: the first owner's address. dj-stripe requires an
        `email` on its subscriber model (the Tenant)."""
        from shared_apps.accounts.models import Role

        membership = self.memberships.filter(role=Role.OWNER).select_related("user").order_by("created_at", "pk").first()
        return membership.user.email if membership else ""


class Domain(DomainMixin):
    class Surface(models.TextChoices):
        APP = "app", _("Staff app")
        PORTAL = "portal", _("Customer portal")

    surface = models.CharField(_("surface"), max_length=8, choices=Surface.choices, default=Surface.APP)
    # Platform sub-domains are verified at birth; custom domains after their DNS check.
    is_verified = models.BooleanField(_("verified"), default=False)
    verification_token = models.CharField(max_length=64, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # The last DNS check of a custom domain: when, and why it failed (a stable code of
    # tenants.dns.CHECK_ERRORS; empty after a success).
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_error = models.CharField(_("last check's problem"), max_length=32, blank=True)
    # A verified domain whose TXT proof the daily re-check no longer finds: since when.
    proof_missing_since = models.DateTimeField(_("proof missing since"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "surface"], condition=Q(is_primary=True), name="domain_one_primary_per_surface"
            ),
            models.CheckConstraint(condition=Q(domain=Lower("domain")), name="domain_lower_case"),
        ]

    def __str__(self):
        return self.domain

    @property
    def last_error_message(self) -> str:
        from .dns import CHECK_ERRORS, FAILURE

        return str(CHECK_ERRORS.get(self.last_error, CHECK_ERRORS[FAILURE])) if self.last_error else ""

    @property
    def proof_deadline(self):
        """When a verified domain whose proof is missing will be released."""
        if self.proof_missing_since is None:
            return None
        from django.conf import settings

        return self.proof_missing_since + timedelta(days=settings.DOMAIN_PROOF_GRACE_DAYS)

    @property
    def is_platform(self) -> bool:
        """A sub-domain of the platform ({slug}.APP_DOMAIN / {slug}.PORTAL_DOMAIN), made at
        signup: it cannot be removed and needs no DNS check."""
        from .hosts import platform_hostname

        return self.domain == platform_hostname(self.tenant.slug, self.surface)

    def save(self, *args, **kwargs):
        # DomainMixin.save() keeps one primary domain per tenant; we keep one per surface,
        # enforced by the constraint above, so the model's own save is used directly.
        self.domain = self.domain.lower().strip(".")
        models.Model.save(self, *args, **kwargs)


class SpareSchema(models.Model):
    """A pre-migrated, empty tenant schema waiting to be claimed by a new workspace."""

    schema_name = models.CharField(max_length=63, unique=True)
    # The template's migration state it was made from; stale spares are never claimed.
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.schema_name


class TemplateSnapshot(models.Model):
    """The template schema's DDL, taken once per migration state and replayed to clone it."""

    fingerprint = models.CharField(max_length=64, unique=True)
    ddl = models.TextField()
    # Tables of the template that hold rows (copied on clone), with their identity columns.
    data_tables = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.fingerprint


class ScheduledJob(models.Model):
    """Work inside one workspace that falls due at a time (a task's reminder, later an
    invoice's). Kept in the public schema so that one indexed query finds what is due
    across every workspace; see tenants/scheduling.py."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    due_at = models.DateTimeField()
    dispatched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "kind", "object_id"], name="scheduledjob_unique"),
        ]
        indexes = [models.Index(fields=["due_at"], name="scheduledjob_due_idx")]

    def __str__(self):
        return f"{self.kind}:{self.object_id} @ {self.due_at:%Y-%m-%d %H:%M}"
