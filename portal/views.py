"""The customer portal's front page: who the company is and how to reach it."""

from django.shortcuts import render

from billing.entitlements import entitlement_allows
from tenant_apps.workspace.selectors import workspace_profile


def home(request):
    if not entitlement_allows(request.tenant, "portal"):
        # The workspace's plan has no customer portal: its customers learn no more than that.
        return render(request, "portal/unavailable.html", status=404)
    return render(request, "portal/home.html", {"profile": workspace_profile()})
