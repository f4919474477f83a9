"""Stripe through dj-stripe: keys, the API host (a local fake in tests), the webhook
secret and the billing rules (trial length, grace period). Secrets may come from
*_FILE (see environment.py)."""

from .environment import env
from .security import CONTENT_SECURITY_POLICY

STRIPE_LIVE_MODE = env.bool("STRIPE_LIVE_MODE", default=False)
# One secret key for the mode in use; dj-stripe reads it for every API call.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_TEST_SECRET_KEY = STRIPE_SECRET_KEY if not STRIPE_LIVE_MODE else ""
STRIPE_LIVE_SECRET_KEY = STRIPE_SECRET_KEY if STRIPE_LIVE_MODE else ""
# Pointed at a local fake Stripe by the tests; empty means Stripe's own API.
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
# Signing secret of the webhook endpoint (whsec_...). `manage.py billing_webhook_endpoint`
# stores it on dj-stripe's WebhookEndpoint row, whose UUID URL Stripe posts to.
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")

# Stripe Connect: each workspace takes its customers' card payments on its own connected
# account. Connect events (account.updated, checkout.session.completed on those accounts)
# come to /webhooks/stripe/connect/ on the public host, signed with this endpoint's secret.
STRIPE_CONNECT_WEBHOOK_SECRET = env.str("STRIPE_CONNECT_WEBHOOK_SECRET", default="")
# Invoice currencies customers may pay by card (Stripe's minimum amounts apply).
STRIPE_CONNECT_CURRENCIES = env.list(
    "STRIPE_CONNECT_CURRENCIES",
    default=["EUR", "USD", "GBP", "CHF", "PLN", "CZK", "HUF", "RON", "SEK", "DKK", "NOK", "CAD", "AUD", "JPY"],
)

DJSTRIPE_SUBSCRIBER_MODEL = "tenants.Tenant"
DJSTRIPE_SUBSCRIBER_MODEL_REQUEST_CALLBACK = "billing.stripe_gateway.subscriber_from_request"
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
DJSTRIPE_WEBHOOK_VALIDATION = "verify_signature"

# A new workspace tries this plan for this many days without a card.
BILLING_TRIAL_PLAN = env.str("BILLING_TRIAL_PLAN", default="pro")
BILLING_TRIAL_DAYS = env.int("BILLING_TRIAL_DAYS", default=14)
# A failed renewal keeps the paid plan this long while Stripe retries the card.
BILLING_GRACE_DAYS = env.int("BILLING_GRACE_DAYS", default=14)

# Checkout and the Billing Portal are reached by a form post that Stripe redirects.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += [
    "https://checkout.stripe.com", "https://billing.stripe.com", "https://connect.stripe.com",
]
