"""What a signed-in portal customer is, and what they may see.

SessionBindingMiddleware sets `request.portal_access` on the portal surface (an *active*
PortalAccess of the signed-in user in this workspace, with its contact and company loaded)
or logs the user out. Views guard with `portal_login_required`; selectors scope every query
with `customer_scope(access)`:

- a contact with a company sees that company's records;
- a contact without one sees only the records that name the contact itself.
Nothing else of the workspace is ever visible on the portal.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse

from billing.entitlements import entitlement_allows

from .models import PortalAccess

PORTAL_ALWAYS_OPEN = ("/static/", "/i18n/", "/healthz", "/branding/")


def portal_access_for_user(user) -> PortalAccess | None:
    """The user's active access in the workspace the connection is on."""
    if user is None or not user.is_authenticated:
        return None
    return (
        PortalAccess.objects.select_related("contact", "contact__company")
        .filter(user=user, status=PortalAccess.Status.ACTIVE)
        .first()
    )


def customer_scope(access: PortalAccess, *, company_field: str = "company", contact_field: str = "contact") -> Q:
    """A filter for records of the customer behind `access`: their company's, or (without
    a company) their own."""
    contact = access.contact
    if contact.company_id:
        return Q(**{f"{company_field}_id": contact.company_id})
    return Q(**{f"{contact_field}_id": contact.pk})


def portal_unavailable(request):
    """The workspace's plan has no customer portal: its customers learn no more than that."""
    return render(request, "portal/unavailable.html", status=404)


def portal_login_required(view):
    """The view needs a signed-in portal customer of this workspace, on a plan with the portal."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not entitlement_allows(request.tenant, "portal"):
            return portal_unavailable(request)
        if getattr(request, "portal_access", None) is None:
            return redirect_to_login(request.get_full_path(), login_url=reverse("portal_login"))
        return view(request, *args, **kwargs)

    return wrapper
