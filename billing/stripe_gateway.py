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
    *, tenant, customer_id, price_id, plan_code, interval, success_url, cancel_url, trial_end=None, expires_at=None
) -> dict:
    """A hosted Checkout page (subscription mode) for one price, the first charge after
    `trial_end` (a Unix time) when given, closing itself at `expires_at` (a Unix time);
    returns its id and URL."""
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
            **({"expires_at": expires_at} if expires_at else {}),
        )
    except stripe.StripeError as exc:
        logger.warning("Stripe Checkout for %s failed: %s", tenant.slug, exc)
        raise StripeUnavailable() from exc
    return {"id": session.id, "url": session.url}


def checkout_session_close(session_id: str) -> str:
    """Close a Checkout page that is still open, so that nobody can pay on it any more.
    Returns the page's state afterwards: "expired", or "complete" when it was paid first."""
    try:
        session = stripe.checkout.Session.retrieve(session_id, api_key=_api_key())
        if session.status == "open":
            session = stripe.checkout.Session.expire(session_id, api_key=_api_key())
    except stripe.InvalidRequestError as exc:
        # Paid (or closed) between the two calls: Stripe refuses to expire it.
        logger.info("Stripe Checkout %s could not be expired: %s", session_id, exc)
        session = stripe.checkout.Session.retrieve(session_id, api_key=_api_key())
    except stripe.StripeError as exc:
        logger.warning("Stripe Checkout %s could not be closed: %s", session_id, exc)
        raise StripeUnavailable() from exc
    return "complete" if session.status == "complete" else "expired"


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


# --- Stripe Connect: the workspace's own account, which its customers pay into ----------


def connect_account_create(*, tenant, email: str = "") -> dict:
    """A new Express connected account for `tenant`. The idempotency key makes a retry
    after a lost answer return the same account instead of a second one."""
    params = {
        "api_key": _api_key(), "type": "express", "metadata": {"tenant_id": str(tenant.pk), "tenant_slug": tenant.slug},
        "capabilities": {"card_payments": {"requested": True}, "transfers": {"requested": True}},
        "business_profile": {"name": tenant.name[:100]},
        "idempotency_key": f"tessera-connect-account-{tenant.pk}-{tenant.slug}",
    }
    if email:
        params["email"] = email
    try:
        return stripe.Account.create(**params).to_dict()
    except stripe.StripeError as exc:
        logger.warning("Stripe Connect account for %s failed: %s", tenant.slug, exc)
        raise StripeUnavailable() from exc


def connect_account_retrieve(account_id: str) -> dict:
    """A connected account as Stripe has it now, as plain data."""
    try:
        return stripe.Account.retrieve(account_id, api_key=_api_key()).to_dict()
    except stripe.StripeError as exc:
        logger.warning("Stripe Connect account %s could not be read: %s", account_id, exc)
        raise StripeUnavailable() from exc


def connect_onboarding_link_create(*, account_id: str, refresh_url: str, return_url: str) -> str:
    """The URL of Stripe's hosted onboarding for the account (single use, short-lived)."""
    try:
        link = stripe.AccountLink.create(
            api_key=_api_key(), account=account_id, type="account_onboarding",
            refresh_url=refresh_url, return_url=return_url,
        )
    except stripe.StripeError as exc:
        logger.warning("Stripe Connect onboarding link for %s failed: %s", account_id, exc)
        raise StripeUnavailable() from exc
    return link.url


def connect_checkout_session_create(
    *, account_id: str, currency: str, amount_minor: int, description: str, metadata: dict,
    client_reference_id: str, customer_email: str, success_url: str, cancel_url: str, expires_at: int | None = None,
) -> dict:
    """A hosted Checkout page (payment mode, one line of `amount_minor` in `currency`) on the
    connected account `account_id`, so the money goes to the workspace; returns id and url."""
    params = {
        "api_key": _api_key(), "stripe_account": account_id, "mode": "payment",
        "line_items": [{"quantity": 1, "price_data": {
            "currency": currency.lower(), "unit_amount": amount_minor, "product_data": {"name": description[:250]},
        }}],
        "client_reference_id": client_reference_id, "metadata": metadata,
        "payment_intent_data": {"metadata": metadata, "description": description[:250]},
        "success_url": success_url, "cancel_url": cancel_url, "locale": _locale(),
    }
    if customer_email:
        params["customer_email"] = customer_email
    if expires_at:
        params["expires_at"] = expires_at
    try:
        session = stripe.checkout.Session.create(**params)
    except stripe.StripeError as exc:
        logger.warning("Stripe Connect Checkout on %s failed: %s", account_id, exc)
        raise StripeUnavailable() from exc
    return {"id": session.id, "url": session.url}
