from django import template

from shared_apps.accounts.rules import can

register = template.Library()


@register.inclusion_tag("assistant/_deal_analysis.html", takes_context=True)
def deal_analysis_card(context, deal):
    """The deal page's AI analysis card: the newest analysis and a Refresh button that
    is disabled, with the reason, when the assistant is not available. One query."""
    from ..selectors import deal_analysis_latest

    user = context["request"].user
    return {
        "deal": deal,
        "analysis": deal_analysis_latest(deal=deal),
        "can_refresh": can(user, "deals.change_deal", deal),
        "available": context.get("assistant_available", False),
        "reason": context.get("assistant_unavailable_reason", ""),
        "csrf_token": context.get("csrf_token"),
    }
