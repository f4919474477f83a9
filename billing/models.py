"""The plan catalogue, each workspace's billing state and its monthly usage counters. Public schema."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    price_monthly = models.DecimalField(_("monthly price"), max_digits=10, decimal_places=2, default=Decimal("0"))
    price_yearly = models.DecimalField(_("yearly price"), max_digits=10, decimal_places=2, default=Decimal("0"))
    # Limits; None means unlimited.
    max_seats = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    max_contacts = models.PositiveIntegerField(_("contacts"), null=True, blank=True)
    max_storage_mb = models.PositiveIntegerField(_("storage (MB)"), null=True, blank=True)
    max_emails_per_month = models.PositiveIntegerField(_("emails per month"), null=True, blank=True)
    ai_credits_per_month = models.PositiveIntegerField(_("AI credits per month"), null=True, blank=True)
    # Feature flags by name: portal, campaigns, automation, api, custom_domains, sso, white_label.
    features = models.JSONField(default=list, blank=True)
    # Stripe Price ids (price_...) that Checkout sells this plan with; blank = not for sale.
    stripe_price_monthly = models.CharField(_("Stripe price, monthly"), max_length=255, blank=True)
    stripe_price_yearly = models.CharField(_("Stripe price, yearly"), max_length=255, blank=True)
    is_public = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price_monthly__gte=0, price_yearly__gte=0), name="plan_prices_not_negative"),
        ]

    def __str__(self):
        return self.name

    def has_feature(self, name: str) -> bool:
        return name in self.features

    @property
    def is_free(self) -> bool:
        return self.price_monthly == 0 and self.price_yearly == 0

    def stripe_price(self, interval: str) -> str:
        return self.stripe_price_yearly if interval == Interval.YEAR else self.stripe_price_monthly


class Interval(models.TextChoices):
    MONTH = "month", _("Monthly")
    YEAR = "year", _("Yearly")


class BillingAccount(models.Model):
    """Where a workspace stands with its subscription. The workspace's plan (tenant.plan)
    follows it, always through billing.services.tenant_plan_set."""

    class Status(models.TextChoices):
        TRIALING = "trialing", _("Trial")
        ACTIVE = "active", _("Active")
        PAST_DUE = "past_due", _("Payment failed")
        CANCELED = "canceled", _("Canceled")
        # Never subscribed, or the trial ended without one.
        FREE = "free", _("Free")

    tenant = models.OneToOneField("tenants.Tenant", on_delete=models.CASCADE, related_name="billing")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.FREE)
    # The paid plan the subscription is for (the tenant's plan may already be Free after
    # the grace period); the trial plan while trialing without a card.
    subscribed_plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("subscribed plan")
    )
    interval = models.CharField(_("billing interval"), max_length=8, choices=Interval.choices, blank=True)
    trial_ends_at = models.DateTimeField(_("trial ends"), null=True, blank=True)
    past_due_since = models.DateTimeField(_("payment failed on"), null=True, blank=True)
    current_period_end = models.DateTimeField(_("renews on"), null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    canceled_at = models.DateTimeField(_("canceled on"), null=True, blank=True)
    stripe_customer_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_subscription_id = models.CharField(max_length=255, blank=True, db_index=True)
    # The newest Stripe event applied: an older one arriving late changes nothing.
    last_event_created = models.DateTimeField(null=True, blank=True)
    last_event_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tenant_id"]
        verbose_name = _("billing account")
        indexes = [
            models.Index(fields=["status", "trial_ends_at"], name="billing_status_trial_idx"),
            models.Index(fields=["status", "canceled_at"], name="billing_status_canceled_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="trialing") | models.Q(trial_ends_at__isnull=False),
                name="billing_trial_has_end",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="past_due") | models.Q(past_due_since__isnull=False),
                name="billing_past_due_has_start",
            ),
        ]

    def __str__(self):
        return f"{self.tenant_id}: {self.status}"

    @property
    def has_live_subscription(self) -> bool:
        return bool(self.stripe_subscription_id) and self.status in (
            self.Status.ACTIVE, self.Status.PAST_DUE, self.Status.TRIALING
        )


class UsageCounter(models.Model):
    """What a workspace used in one calendar month (UTC) of the things a plan counts per
    month. One row per tenant and month, incremented in place by billing.usage with a
    single conditional UPDATE, so concurrent senders can never pass the plan's limit."""

    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="usage_counters")
    # The first day of the month counted.
    period = models.DateField()
    emails_sent = models.PositiveIntegerField(default=0)
    ai_credits_used = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period", "tenant"]
        constraints = [models.UniqueConstraint(fields=["tenant", "period"], name="usagecounter_one_per_month")]

    def __str__(self):
        return f"{self.tenant_id} {self.period:%Y-%m}"


class ConnectedAccount(models.Model):
    """A workspace's own Stripe account (Stripe Connect), which its customers pay invoices
    into from the portal. One per workspace, created once; Stripe's account.updated
    webhook and the return from onboarding keep its flags current."""

    class Status(models.TextChoices):
        NOT_CONNECTED = "not_connected", _("Not connected")
        INCOMPLETE = "incomplete", _("Onboarding incomplete")
        READY = "ready", _("Ready")

    tenant = models.OneToOneField("tenants.Tenant", on_delete=models.CASCADE, related_name="connected_account")
    stripe_account_id = models.CharField(max_length=255, unique=True)
    charges_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    details_submitted = models.BooleanField(default=False)
    default_currency = models.CharField(max_length=3, blank=True)
    country = models.CharField(max_length=2, blank=True)
    # When the state stored was Stripe's: an older account.updated arriving late changes nothing.
    synced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tenant_id"]
        verbose_name = _("connected Stripe account")

    def __str__(self):
        return f"{self.tenant_id}: {self.stripe_account_id}"

    @property
    def status(self) -> str:
        if self.charges_enabled and self.details_submitted:
            return self.Status.READY
        return self.Status.INCOMPLETE

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY
