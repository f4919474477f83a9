"""Reads of the assistant app."""

from django.db import connection
from django_tenants.utils import schema_context

from .models import AssistantSettings, DealAnalysis

# "A tenant's own key on Enterprise": decided by the plan's code rather than a new plan
# feature flag, so that no billing migration is needed (the plans' features are shown on
# the pricing page and a flag would need a label and a data migration there).
OWN_KEY_PLANS = ("enterprise",)


def assistant_own_key_allowed(tenant) -> bool:
    """Whether `tenant`'s plan lets it use its own model endpoint."""
    from billing.entitlements import plan_of

    return plan_of(tenant).code in OWN_KEY_PLANS


def assistant_settings_of(tenant) -> AssistantSettings | None:
    """`tenant`'s own endpoint settings, read in its schema, or None."""
    if connection.schema_name == tenant.schema_name:
        return AssistantSettings.objects.first()
    with schema_context(tenant.schema_name):
        return AssistantSettings.objects.first()


def deal_analysis_latest(*, deal) -> DealAnalysis | None:
    """The newest analysis of `deal` (the caller has checked that the user may see the deal)."""
    return DealAnalysis.objects.filter(deal=deal).select_related("created_by").first()
