"""Settings → Card payments (owners and admins): connect the workspace's own Stripe account
(Stripe Connect onboarding), so its customers can pay invoices by card in the portal."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shared_apps.accounts.decorators import permission_required

from .connect_selectors import connect_status
from .connect_services import connect_onboarding_resume, connect_onboarding_start, connected_account_refresh
from .errors import BillingError


def onboarding_urls(request) -> dict:
    """Stripe sends the admin back to this workspace's host (custom domains too)."""
    return {
        "refresh_url": request.build_absolute_uri(reverse("settings_payments_refresh")),
        "return_url": request.build_absolute_uri(reverse("settings_payments_return")),
    }


@require_GET
@permission_required("billing.manage")
def settings_payments(request):
    context = {"section": "payments", "connect": connect_status(request.tenant),
               "currencies": settings.STRIPE_CONNECT_CURRENCIES}
    return render(request, "billing/settings_payments.html", context)


@require_POST
@permission_required("billing.manage")
def settings_payments_connect(request):
    try:
        url = connect_onboarding_start(tenant=request.tenant, actor=request.user, request=request, **onboarding_urls(request))
    except BillingError as exc:
        messages.error(request, exc.message)
        return redirect("settings_payments")
    return redirect(url)


@require_GET
@permission_required("billing.manage")
def settings_payments_refresh(request):
    """Stripe's refresh URL: the onboarding link expired or was used; a fresh one."""
    try:
        url = connect_onboarding_resume(tenant=request.tenant, **onboarding_urls(request))
    except BillingError as exc:
        messages.error(request, exc.message)
        return redirect("settings_payments")
    return redirect(url)


@require_GET
@permission_required("billing.manage")
def settings_payments_return(request):
    """Back from Stripe's onboarding: read the account again and say where it stands."""
    try:
        account = connected_account_refresh(tenant=request.tenant)
    except BillingError as exc:
        messages.error(request, exc.message)
        return redirect("settings_payments")
    if account is not None and account.is_ready:
        messages.success(request, _("Your Stripe account is ready. Customers can now pay invoices by card in the portal."))
    elif account is not None:
        messages.warning(request, _("Stripe still needs some details before card payments can start."))
    return redirect("settings_payments")
