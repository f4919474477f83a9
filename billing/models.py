"""The plan catalogue. Public schema. Stripe prices and subscriptions arrive with billing."""

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
