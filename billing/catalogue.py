"""How plans are shown: translated names and feature labels for the pricing page."""

from django.utils.translation import gettext_lazy as _

from .selectors import plan_list_public

PLAN_NAMES = {"free": _("Free"), "basic": _("Basic"), "pro": _("Pro"), "enterprise": _("Enterprise")}
PLAN_TAGLINES = {
    "free": _("For a founder getting started."),
    "basic": _("For small teams that sell every day."),
    "pro": _("For growing teams with a customer portal and campaigns."),
    "enterprise": _("For companies that need SSO, white label and no limits."),
}
FEATURE_LABELS = {
    "portal": _("Customer portal"),
    "api": _("REST API access"),
    "campaigns": _("E-mail campaigns"),
    "automation": _("Automation"),
    "custom_domains": _("Custom domains"),
    "sso": _("Single sign-on (SSO)"),
    "white_label": _("White label"),
}


def plan_display_name(plan) -> str:
    return str(PLAN_NAMES.get(plan.code, plan.name))


def plan_cards() -> list[dict]:
    cards = []
    for plan in plan_list_public():
        cards.append(
            {
                "code": plan.code,
                "name": plan_display_name(plan),
                "tagline": PLAN_TAGLINES.get(plan.code, plan.tagline),
                "currency": plan.currency,
                "price_monthly": plan.price_monthly,
                "price_yearly": plan.price_yearly,
                "limits": [
                    (_("Users"), plan.max_seats),
                    (_("Contacts"), plan.max_contacts),
                    (_("File storage (MB)"), plan.max_storage_mb),
                    (_("E-mails per month"), plan.max_emails_per_month),
                    (_("AI credits per month"), plan.ai_credits_per_month),
                ],
                "features": [(label, code in plan.features) for code, label in FEATURE_LABELS.items()],
                "highlight": plan.code == "pro",
            }
        )
    return cards
