"""Isolation-matrix rows for the AI assistant (see tests/test_isolation.py): the deal
analysis (page and API) and Settings → AI assistant. The deal is acme's, its owner's."""

from django.db import connection

URLS = {
    "deal_analysis_refresh": ("post", "writer"),
    "settings_assistant": ("get", "admin"),
    "api_deal_analysis": ("get", "api"),
}


def _deal(tenant):
    from shared_apps.accounts.models import Membership
    from tenant_apps.assistant.models import DealAnalysis
    from tenant_apps.deals.models import Deal, Pipeline

    owner = Membership.objects.get(tenant=tenant, role="owner").user
    pipeline = Pipeline.objects.get(is_default=True)
    deal = Deal.objects.create(title="Secret deal", pipeline=pipeline, stage=pipeline.stages.filter(kind="open").first(),
                               owner=owner)
    DealAnalysis.objects.create(deal=deal, health_score=50, win_probability=40, win_probability_reasons=["secret"],
                                model="fake-model", created_by=owner)
    return deal


def url_args(name, tenant):
    if name not in ("deal_analysis_refresh", "api_deal_analysis"):
        return []
    connection.set_tenant(tenant)
    try:
        return [_deal(tenant).pk]
    finally:
        connection.set_schema_to_public()
