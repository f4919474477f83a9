"""Errors of plans and subscriptions that users and operators can meet."""

from django.utils.translation import gettext_lazy as _

from config.errors import UserFacingError


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
