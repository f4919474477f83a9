"""Settings → Plan and billing (owners and admins of the workspace): the plan, usage
against its limits, its features and the Stripe subscription panel; and the panel's
actions, Checkout and the Billing Portal, which answer with a redirect to Stripe's page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.decorators import permission_required
from tenants.hosts import public_url

from .errors import BillingError
from .forms import PlanChoiceForm
from .selectors import billing_overview, subscription_panel
from .services import billing_portal_start, checkout_start


@permission_required("billing.manage")
def settings_billing(request):
    if request.GET.get("checkout") == "done":
        messages.info(request, _("Thank you. Your subscription shows here as soon as Stripe confirms the payment."))
    panel = subscription_panel(request.tenant)
    context = {
        "section": "billing", "panel": panel, "pricing_url": public_url("/pricing/"),
        **billing_overview(request.tenant, plan=panel["plan"]),
    }
    return render(request, "billing/settings_billing.html", context)


def _back(request, **query) -> str:
    """Back to the billing page on the host the owner came from (custom domains too)."""
    url = request.build_absolute_uri(reverse("settings_billing"))
    return url + ("?" + urlencode(query) if query else "")


@require_POST
@permission_required("billing.manage")
def billing_checkout(request):
    form = PlanChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the plans shown."))
        return redirect("settings_billing")
    try:
        url = checkout_start(
            tenant=request.tenant, plan=form.cleaned_data["plan"], interval=form.cleaned_data["interval"],
            success_url=_back(request, checkout="done"), cancel_url=_back(request), actor=request.user,
        )
    except BillingError as exc:
        messages.error(request, exc.message)
        return redirect("settings_billing")
    return redirect(url)


@require_POST
@permission_required("billing.manage")
def billing_portal(request):
    try:
        url = billing_portal_start(tenant=request.tenant, return_url=_back(request), actor=request.user)
    except BillingError as exc:
        messages.error(request, exc.message)
        return redirect("settings_billing")
    return redirect(url)
