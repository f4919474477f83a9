"""Per-request identity checks, after AuthenticationMiddleware and OTPMiddleware.

SessionBindingMiddleware
  - a session is only good on the schema and surface it was made on: a cookie replayed
    on another host is flushed and the request is anonymous;
  - on a workspace host the user must (still) be a member; the membership is loaded once
    and cached on the user for the rules;
  - impersonation ends at its time limit;
  - the user's chosen language wins over the browser's.

SecondFactorMiddleware
  - a user with 2FA whose session has not passed it (e.g. a session from before they
    turned it on) is sent to the code page;
  - on a workspace that requires 2FA, a member without it is sent to set it up.
  Only the pages needed to do that, and signing out, are reachable meanwhile.
"""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from shared_apps.audit.models import EventKind
from shared_apps.audit.services import security_event_record

from portal.access import portal_access_for_user

from .binding import IMPERSONATION_UNTIL_KEY, is_impersonating, session_is_bound_here
from .models import Membership
from .services.impersonation import impersonation_end
from .services.sessions import session_forget, session_touch

# What an impersonation session may not reach: the member's own account (e-mail,
# password, 2FA, sessions, other workspaces). Signing out stays possible.
IMPERSONATION_BLOCKED_PREFIXES = ("/account/", "/accounts/")
API_PREFIX = "/api/"
ALWAYS_ALLOWED_PREFIXES = ("/static/", "/i18n/", "/healthz", "/accounts/logout/", "/auth/handoff/", "/impersonation/")


class SessionBindingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.portal_access = None
        if user.is_authenticated:
            response = self._check(request, user)
            if response is not None:
                return response
            user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)

    def _check(self, request, user):
        schema = connection.schema_name
        if not session_is_bound_here(request, schema_name=schema):
            security_event_record(
                kind=EventKind.SESSION_REPLAY_BLOCKED,
                request=request,
                actor=user,
                bound_to=request.session.get("tessera.schema", ""),
            )
            session_forget(session_key=request.session.session_key or "")
            request.session.flush()
            request.user = AnonymousUser()
            return None
        if is_impersonating(request):
            until = request.session.get(IMPERSONATION_UNTIL_KEY)
            if not until or datetime.fromisoformat(until) <= timezone.now():
                impersonation_end(request=request, expired=True)
                request.session.flush()
                request.user = AnonymousUser()
                return redirect("/")
            if request.path.startswith(IMPERSONATION_BLOCKED_PREFIXES) and request.path != reverse("account_logout"):
                messages.error(request, _("A member's own account pages are not available while you act as them."))
                return redirect("/")
        surface = getattr(request, "surface", "public")
        if surface == "portal":
            # Only an active PortalAccess in this workspace opens its portal; a staff
            # membership opens nothing here.
            access = portal_access_for_user(user)
            if access is None:
                logout(request)
                return None
            request.portal_access = access
        if surface == "app":
            membership = Membership.objects.filter(user=user, tenant_id=request.tenant.pk).first()
            if membership is None:
                logout(request)
                if request.path.startswith(API_PREFIX):
                    return None  # anonymous from here on: the API answers 401 in its own shape
                messages.error(request, _("You are no longer a member of this workspace."))
                return redirect(reverse("account_login"))
            membership.tenant = request.tenant
            request.membership = membership
            user._membership_cache = (connection.schema_name, membership)
        session_touch(request=request)
        return None


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        # The second factor guards staff and platform identities; the portal's customers
        # sign in by a link to their mailbox, and its urlconf has no 2FA pages.
        on_portal = getattr(request, "surface", "public") == "portal"
        if (
            user.is_authenticated
            and not on_portal
            and not is_impersonating(request)
            and not request.path.startswith(ALWAYS_ALLOWED_PREFIXES)
        ):
            if user.two_factor_enabled and not user.is_verified():
                if request.path.startswith(API_PREFIX):
                    # A half-signed-in session is no session for the API: 401, not a redirect.
                    request.user = AnonymousUser()
                elif not request.path.startswith(reverse("two_factor_verify")):
                    return redirect(reverse("two_factor_verify") + "?" + urlencode({"next": request.get_full_path()}))
            elif getattr(request.tenant, "require_2fa", False) and not user.two_factor_enabled:
                setup = reverse("two_factor_setup")
                if request.path.startswith(API_PREFIX):
                    request.user = AnonymousUser()
                elif not request.path.startswith(setup):
                    messages.warning(
                        request,
                        _("%(workspace)s requires two-factor authentication. Please set it up to continue.")
                        % {"workspace": request.tenant.name},
                    )
                    return redirect(setup)
        return self.get_response(request)
