"""The portal's menu: (url name, label) pairs, in order. Each portal feature adds its entry."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

PORTAL_NAV = [
    ("portal_home", _("Overview")),
    ("portal_offer_list", _("Offers")),
    ("portal_invoice_list", _("Invoices")),
    ("portal_payment_list", _("Payments")),
    ("portal_profile", _("My details")),
    ("portal_account", _("Account")),
    ("portal_ticket_list", _("Support")),
]


def portal_nav(request) -> list[dict]:
    path = request.path
    items = []
    for name, label in PORTAL_NAV:
        url = reverse(name)
        active = path == url if url == "/" else path.startswith(url)
        items.append({"url": url, "label": label, "active": active})
    return items
