"""Paying an invoice by card in the portal: a page with what is owed and the button, the
button's POST (a Stripe Checkout page on the workspace's own Stripe account) and the page
Stripe returns to, which says "processing" until Stripe's webhook has recorded the payment."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from billing.connect_selectors import invoice_payment_offer
from billing.connect_services import invoice_checkout_start
from billing.errors import BillingError

from .access import portal_login_required
from .payment_selectors import portal_checkout_recorded, portal_invoice_get


@require_http_methods(["GET", "POST"])
@portal_login_required
def invoice_pay(request, pk: int):
    invoice = portal_invoice_get(access=request.portal_access, pk=pk)
    if request.method == "POST":
        pay_page = request.build_absolute_uri(reverse("portal_invoice_pay", args=[invoice.pk]))
        paid_page = request.build_absolute_uri(reverse("portal_invoice_paid", args=[invoice.pk]))
        try:
            url = invoice_checkout_start(
                tenant=request.tenant, invoice=invoice, customer_email=request.portal_access.contact.email or "",
                # Stripe puts the session's id in place of the placeholder.
                success_url=paid_page + "?session_id={CHECKOUT_SESSION_ID}", cancel_url=pay_page + "?canceled=1",
            )
        except BillingError as exc:
            messages.error(request, exc.message)
            return redirect("portal_invoice_pay", pk=invoice.pk)
        return redirect(url)
    context = {"invoice": invoice, "offer": invoice_payment_offer(tenant=request.tenant, invoice=invoice),
               "canceled": request.GET.get("canceled") == "1"}
    return render(request, "portal/invoice_pay.html", context)


@require_GET
@portal_login_required
def invoice_paid(request, pk: int):
    invoice = portal_invoice_get(access=request.portal_access, pk=pk)
    session_id = request.GET.get("session_id", "")
    paid = portal_checkout_recorded(invoice=invoice, session_id=session_id) or invoice.status == "paid"
    return render(request, "portal/invoice_paid.html", {"invoice": invoice, "paid": paid, "session_id": session_id})
