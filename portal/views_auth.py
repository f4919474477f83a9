"""Signing in to and out of the customer portal."""

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing.entitlements import entitlement_allows

from .access import portal_access_for_user, portal_unavailable
from .forms import PortalPasswordLoginForm


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def login_view(request):
    if not entitlement_allows(request.tenant, "portal"):
        return portal_unavailable(request)
    if getattr(request, "portal_access", None) is not None:
        return redirect(_next_url(request))
    form = PortalPasswordLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, email=form.cleaned_data["email"], password=form.cleaned_data["password"])
        # One answer for a wrong password and for someone who is not a customer here.
        if user is not None and user.is_active and portal_access_for_user(user) is not None:
            login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
            return redirect(_next_url(request))
        form.add_error(None, _("The e-mail address or password is not right."))
    return render(request, "portal/login.html", {"form": form, "next": _next_url(request)}, status=400 if form.errors else 200)


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        logout(request)
        messages.info(request, _("You have signed out."))
    return redirect("portal_login")
