"""Settings → Plan and billing: the plan, usage against its limits, its features."""

from django.shortcuts import render

from shared_apps.accounts.decorators import permission_required
from tenants.hosts import public_url

from .selectors import billing_overview, subscription_panel


@permission_required("billing.view_billing")
def settings_billing(request):
    panel = subscription_panel(request.tenant)
    context = {
        "section": "billing", "subscription": panel, "pricing_url": public_url("/pricing/"),
        **billing_overview(request.tenant, plan=panel["plan"]),
    }
    return render(request, "billing/settings_billing.html", context)
