"""Errors of plans, entitlements and subscriptions that users and operators can meet.
Each has a stable code. Entitlement errors (the API answers them with HTTP 402) carry a
message in the user's language naming the plan and what it lacks, and the page where the
plan can be changed (`upgrade_url`); billing errors are what Checkout and the Billing
Portal can refuse."""

from django.utils.translation import gettext_lazy as _

from config.errors import UserFacingError

BILLING_PAGE = "/settings/billing/"


class EntitlementError(UserFacingError):
    """The workspace's plan does not allow this. `plan` is the Plan, `limit` or `feature`
    the key refused (see billing.entitlements.LIMITS / FEATURES)."""

    code = "plan_limit_reached"
    default_message = _("Your plan does not allow this. Upgrade the plan to continue.")
    upgrade_url = BILLING_PAGE

    def __init__(self, message=None, *, code=None, plan=None, limit=None, feature=None, allowed=None, used=None):
        self.plan = plan
        self.limit = limit
        self.feature = feature
        self.allowed = allowed
        self.used = used
        super().__init__(message, code=code)


class PlanLimitReached(EntitlementError):
    code = "plan_limit_reached"
    default_message = _("Your plan's limit has been reached. Upgrade the plan to add more.")


class PlanFeatureUnavailable(EntitlementError):
    code = "plan_feature_unavailable"
    default_message = _("Your plan does not include this. Upgrade the plan to use it.")


class BillingError(UserFacingError):
    code = "billing_error"
    default_message = _("The subscription could not be changed.")


class PlanNotForSale(BillingError):
    code = "plan_not_for_sale"
    default_message = _("This plan cannot be bought online. Please contact us.")


class StripeUnavailable(BillingError):
    code = "stripe_unavailable"
    default_message = _("The payment provider could not be reached. Please try again in a few minutes.")


class NoStripeCustomer(BillingError):
    code = "no_stripe_customer"
    default_message = _("This workspace has no subscription to manage yet. Choose a plan first.")


class CardPaymentsUnavailable(BillingError):
    """The workspace has no connected Stripe account ready to take card payments."""

    code = "card_payments_unavailable"
    default_message = _("Card payments are not available at the moment. Please pay by bank transfer.")


class InvoiceNotPayable(BillingError):
    code = "invoice_not_payable"
    default_message = _("This invoice has nothing left to pay online.")


class CurrencyNotSupported(BillingError):
    code = "currency_not_supported"
    default_message = _("Invoices in this currency cannot be paid by card. Please pay by bank transfer.")


class ConnectNotStarted(BillingError):
    code = "connect_not_started"
    default_message = _("Connect a Stripe account first.")


class CheckoutPending(BillingError):
    code = "checkout_pending"
    http_status = 409
    default_message = _("A plan was just paid for on another Checkout page and is being set up. "
                        "Reload this page in a minute.")
