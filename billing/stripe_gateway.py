"""Tessera's one door to Stripe: customers, Checkout and Billing Portal sessions.

Calls go through the stripe SDK (and dj-stripe, which keeps the Customer row in the
public schema) with the key from settings; STRIPE_API_BASE points them at a local fake
in tests. Stripe's own errors become StripeUnavailable so that no view shows a 500.
"""

import logging

import stripe
from djstripe.models import Customer
from djstripe.settings import djstripe_settings
from django.utils.translation import get_language

from .errors import StripeUnavailable

logger = logging.getLogger(__name__)

# Stripe's hosted pages know these of our languages; anything else lets Stripe choose.
_STRIPE_LOCALES = {"en", "bg"}


def subscriber_from_request(request):
    """dj-stripe's subscriber is the workspace of the request, not the signed-in user."""
    return request.tenant


def _api_key() -> str:
    key = djstripe_settings.STRIPE_SECRET_KEY
    if not key:
        raise StripeUnavailable()
    return key


def _locale() -> str:
    language = (get_language() or "en").split("-")[0]
    return language if language in _STRIPE_LOCALES else "auto"


def stripe_customer_ensure(*, tenant) -> str:
    """The Stripe customer id of `tenant`, created in Stripe on first use."""
    try:
        customer, _created = Customer.get_or_create(
            subscriber=tenant, api_key=_api_key(), metadata={"tenant_slug": tenant.slug}
        )
    except stripe.StripeError as exc:
        logger.warning("Stripe customer for %s failed: %s", tenant.slug, exc)
        raise StripeUnavailable() from exc
    return customer.id


def checkout_session_create(
    *, tenant, customer_id, price_id, plan_code, interval, success_url, cancel_url, trial_end=None
) -> str:
    """A hosted Checkout page (subscription mode) for one price, the first charge after
    `trial_end` (a Unix time) when given; returns its URL."""
    metadata = {"tenant_id": str(tenant.pk), "plan": plan_code, "interval": interval}
    subscription_data = {"metadata": metadata}
    if trial_end:
        subscription_data["trial_end"] = trial_end
    try:
        session = stripe.checkout.Session.create(
            api_key=_api_key(),
            mode="subscription",
            customer=customer_id,
            line_items=[{"price": price_id, "quantity": 1}],
            client_reference_id=str(tenant.pk),
            metadata=metadata,
            subscription_data=subscription_data,
            success_url=success_url,
            cancel_url=cancel_url,
            locale=_locale(),
        )
    except stripe.StripeError as exc:
        logger.warning("Stripe Checkout for %s failed: %s", tenant.slug, exc)
        raise StripeUnavailable() from exc
    return session.url


def portal_session_create(*, customer_id, return_url, subscription_id="", item_id="", price_id="") -> str:
    """A Billing Portal session (card, invoices, cancellation); with a subscription, item
    and price it opens straight on the confirmation of that plan change, whose
    proration Stripe works out. Returns its URL."""
    params = {"api_key": _api_key(), "customer": customer_id, "return_url": return_url, "locale": _locale()}
    if subscription_id and item_id and price_id:
        params["flow_data"] = {
            "type": "subscription_update_confirm",
            "subscription_update_confirm": {
                "subscription": subscription_id,
                "items": [{"id": item_id, "price": price_id, "quantity": 1}],
            },
            "after_completion": {"type": "redirect", "redirect": {"return_url": return_url}},
        }
    try:
        session = stripe.billing_portal.Session.create(**params)
    except stripe.StripeError as exc:
        logger.warning("Stripe Billing Portal for %s failed: %s", customer_id, exc)
        raise StripeUnavailable() from exc
    return session.url


def subscription_retrieve(subscription_id: str) -> dict:
    """A subscription as Stripe has it now, as plain data."""
    try:
        subscription = stripe.Subscription.retrieve(subscription_id, api_key=_api_key())
    except stripe.StripeError as exc:
        raise StripeUnavailable() from exc
    return subscription.to_dict()


def subscription_item_id(subscription_id: str) -> str:
    """The id of the (single) item of a subscription, which a plan change replaces."""
    items = (subscription_retrieve(subscription_id).get("items") or {}).get("data") or []
    return items[0]["id"] if items else ""
