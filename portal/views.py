"""The customer portal's front page: for a signed-in customer, what awaits them (offers to
answer, invoices to pay, recent payments); for anyone else, who the company is and how to
reach it."""

from django.shortcuts import render

from billing.entitlements import entitlement_allows
from tenant_apps.workspace.selectors import workspace_profile

from .customer_selectors import portal_overview


def home(request):
    if not entitlement_allows(request.tenant, "portal"):
        # The workspace's plan has no customer portal: its customers learn no more than that.
        return render(request, "portal/unavailable.html", status=404)
    access = getattr(request, "portal_access", None)
    if access is not None:
        return render(request, "portal/overview.html", {"overview": portal_overview(access=access), "access": access})
    return render(request, "portal/home.html", {"profile": workspace_profile()})
