"""Dashboard cards. Apps register a function returning a card (or None to skip):

    @dashboard_card(order=10)
    def open_deals(request): return {"title": ..., "value": ..., "detail": ..., "url": ...}
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from shared_apps.accounts.rules import can
from shared_apps.accounts.selectors import member_stats

_cards: dict[str, tuple[int, object]] = {}


def dashboard_card(*, order: int = 100):
    def register(fn):
        _cards[f"{fn.__module__}.{fn.__qualname__}"] = (order, fn)
        return fn

    return register


def dashboard_cards(request) -> list[dict]:
    cards = []
    for _order, fn in sorted(_cards.values(), key=lambda item: item[0]):
        card = fn(request)
        if card:
            cards.append(card)
    return cards


def _stats(request) -> dict:
    if not hasattr(request, "_member_stats"):
        request._member_stats = member_stats(tenant=request.tenant)
    return request._member_stats


@dashboard_card(order=900)
def team_card(request):
    stats = _stats(request)
    can_manage = can(request.user, "workspace.manage_members")
    return {
        "key": "team",
        "title": _("Team"),
        "value": stats["members"],
        "detail": _("%(n)d open invitations") % {"n": stats["invitations"]} if stats["invitations"] else _("No open invitations"),
        "url": reverse("settings_members") if can_manage else "",
    }


@dashboard_card(order=910)
def two_factor_card(request):
    stats = _stats(request)
    members = stats["members"] or 1
    percent = round(100 * stats["with_2fa"] / members)
    return {
        "key": "2fa",
        "title": _("Two-factor coverage"),
        "value": f"{percent}%",
        "detail": _("%(with)d of %(all)d members")
        % {"with": stats["with_2fa"], "all": stats["members"]},
        "progress": percent,
        "url": reverse("settings_security") if can(request.user, "workspace.change_security") else "",
    }
