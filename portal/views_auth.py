"""Signing in to and out of the customer portal: e-mailed sign-in links (the main way),
passwords, invitations, self-signup and password resets.

Every request for a link answers the same page whether or not the address is known, and is
rate-limited per IP and per address (allauth's limiter, action "portal_link")."""

from functools import wraps

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from billing.entitlements import entitlement_allows
from shared_apps.accounts.services.sessions import session_forget

from .access import portal_access_for_user, portal_login_required, portal_unavailable
from .errors import PortalError, PortalLinkError
from .forms import PortalEmailForm, PortalInviteAcceptForm, PortalPasswordChoiceForm, PortalPasswordLoginForm
from .models import PortalToken
from .selectors import email_is_verified, portal_settings_get
from .services import (
    portal_invite_accept,
    portal_login_link_consume,
    portal_login_link_request,
    portal_password_reset_confirm,
    portal_password_reset_request,
    portal_signup_confirm,
    portal_signup_request,
    portal_token_check,
)

BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _portal_on_plan(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not entitlement_allows(request.tenant, "portal"):
            return portal_unavailable(request)
        return view(request, *args, **kwargs)

    return wrapper


def _too_many(request):
    return render(request, "429.html", status=429)


def _sign_in(request, access):
    login(request, access.user, backend=BACKEND)


def _link_failed(request, exc: PortalLinkError):
    """A link that cannot be used: say why, and offer a new sign-in link right there."""
    status = 404 if exc.code == "link_invalid" else 410
    return render(request, "portal/link_invalid.html", {"error": exc, "form": PortalEmailForm()}, status=status)


def _link_requested(request, email: str, *, kind: str) -> bool:
    """Count a request for a link against the IP and the address; False when over."""
    return ratelimit.consume(request, action="portal_link", key=f"{kind}:{email.strip().lower()}")


@never_cache
@_portal_on_plan
def login_view(request):
    if getattr(request, "portal_access", None) is not None:
        return redirect(_next_url(request))
    link_form = PortalEmailForm(request.POST if request.method == "POST" and "password" not in request.POST else None)
    form = PortalPasswordLoginForm(request.POST if request.method == "POST" and "password" in request.POST else None)
    if request.method == "POST" and "password" not in request.POST and link_form.is_valid():
        email = link_form.cleaned_data["email"]
        if not _link_requested(request, email, kind="login"):
            return _too_many(request)
        portal_login_link_request(email=email)
        return render(request, "portal/link_sent.html", {"email": email, "kind": "login"})
    if request.method == "POST" and "password" in request.POST and form.is_valid():
        email = form.cleaned_data["email"]
        if not ratelimit.consume(request, action="login_failed", key=email.lower(), dry_run=True):
            return _too_many(request)
        user = authenticate(request, email=email, password=form.cleaned_data["password"])
        # One answer for a wrong password and for someone who is not a customer here.
        if (user is not None and user.is_active and portal_access_for_user(user) is not None
                and email_is_verified(user)):
            login(request, user, backend=BACKEND)
            return redirect(_next_url(request))
        ratelimit.consume(request, action="login_failed", key=email.lower())
        form.add_error(None, _("The e-mail address or password is not right."))
    has_errors = bool(form.errors or link_form.errors)
    context = {"form": form, "link_form": link_form, "next": _next_url(request),
               "self_signup": portal_settings_get().self_signup,
               "show_password": request.method == "POST" and "password" in request.POST}
    return render(request, "portal/login.html", context, status=400 if has_errors else 200)


def _link_used_to_sign_in(request, token, *, purpose, kind: str, use, welcome: bool):
    """A link that signs in: GET shows a button, POST uses the link (`use`) and signs in.
    Mail scanners that fetch links must not use them up."""
    try:
        portal_token_check(token=token, purpose=purpose)
        if request.method != "POST":
            return render(request, "portal/link_confirm.html", {"kind": kind})
        access = use(token=token)
    except PortalLinkError as exc:
        return _link_failed(request, exc)
    _sign_in(request, access)
    if welcome:
        messages.success(request, _("Welcome! Your portal access is ready."))
    return redirect("portal_home")


def _link_by_email(request, *, kind: str, template: str, send):
    """A form asking for an e-mail address that mails a link (`send`): rate-limited, and
    the same answer whether or not the address is known."""
    form = PortalEmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not _link_requested(request, email, kind=kind):
            return _too_many(request)
        send(email=email)
        return render(request, "portal/link_sent.html", {"email": email, "kind": kind})
    return render(request, template, {"form": form}, status=400 if form.errors else 200)


@never_cache
@_portal_on_plan
def magic_link(request, token):
    return _link_used_to_sign_in(request, token, purpose=PortalToken.Purpose.LOGIN, kind="login",
                                 use=portal_login_link_consume, welcome=False)


@never_cache
@_portal_on_plan
def invite_accept(request, token):
    try:
        row = portal_token_check(token=token, purpose=PortalToken.Purpose.INVITE)
    except PortalLinkError as exc:
        return _link_failed(request, exc)
    form = PortalInviteAcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            access = portal_invite_accept(token=token, password=form.cleaned_data.get("password1") or "")
        except PortalLinkError as exc:
            return _link_failed(request, exc)
        except PortalError as exc:
            form.add_error("password1", exc.message)
        else:
            _sign_in(request, access)
            messages.success(request, _("Welcome! Your portal access is ready."))
            return redirect("portal_home")
    return render(request, "portal/invite_accept.html", {"form": form, "email": row.email},
                  status=400 if form.errors else 200)


@never_cache
@_portal_on_plan
def signup(request):
    if not portal_settings_get().self_signup:
        return render(request, "portal/signup_closed.html", status=404)
    return _link_by_email(request, kind="signup", template="portal/signup.html", send=portal_signup_request)


@never_cache
@_portal_on_plan
def signup_confirm(request, token):
    return _link_used_to_sign_in(request, token, purpose=PortalToken.Purpose.SIGNUP, kind="signup",
                                 use=portal_signup_confirm, welcome=True)


@never_cache
@_portal_on_plan
def password_reset(request):
    return _link_by_email(request, kind="reset", template="portal/password_reset.html",
                          send=portal_password_reset_request)


@never_cache
@_portal_on_plan
def password_reset_confirm(request, token):
    try:
        portal_token_check(token=token, purpose=PortalToken.Purpose.RESET)
    except PortalLinkError as exc:
        return _link_failed(request, exc)
    form = PortalPasswordChoiceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            access = portal_password_reset_confirm(token=token, password=form.cleaned_data["password1"])
        except PortalLinkError as exc:
            return _link_failed(request, exc)
        except PortalError as exc:
            form.add_error("password1", exc.message)
        else:
            _sign_in(request, access)
            messages.success(request, _("Your new password is set."))
            return redirect("portal_home")
    return render(request, "portal/password_reset_confirm.html", {"form": form}, status=400 if form.errors else 200)


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        logout(request)
        messages.info(request, _("You have signed out."))
    return redirect("portal_login")


@portal_login_required
def account(request):
    """The customer's own account: their address, and a password to set or change."""
    from .forms import PortalPasswordChangeForm
    from .services import portal_password_set

    access = request.portal_access
    has_password = access.user.has_usable_password()
    form = PortalPasswordChangeForm(request.POST if request.method == "POST" else None, has_password=has_password)
    if request.method == "POST" and form.is_valid():
        try:
            portal_password_set(access=access, password=form.cleaned_data["password1"],
                                current_password=form.cleaned_data.get("current_password") or "")
        except PortalError as exc:
            field = "current_password" if exc.code == "password_wrong" else "password1"
            form.add_error(field, exc.message)
        else:
            # A new password ends the old session: sign in again on a fresh one.
            old_key = request.session.session_key or ""
            _sign_in(request, access)
            session_forget(session_key=old_key)
            messages.success(request, _("Your password has been saved."))
            return redirect("portal_account")
    return render(request, "portal/account.html", {"form": form, "access": access, "has_password": has_password},
                  status=400 if form.errors else 200)
