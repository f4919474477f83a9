"""Accepting an invitation on the workspace's host."""

from allauth.account.utils import perform_login
from allauth.core import ratelimit
from django.contrib.auth import authenticate, get_user_model
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from billing.errors import EntitlementError

from ..errors import AccountError, InvitationError
from ..forms import InvitationAcceptExistingForm, InvitationAcceptNewForm
from ..services.invitations import invitation_accept, invitation_accept_new_account, invitation_find


@never_cache
def accept(request, token):
    try:
        return _accept(request, token)
    except EntitlementError:
        # After a downgrade the workspace may have more people than its plan's seats: the
        # invitation stays open and works again once a seat is free.
        error = InvitationError(
            _("%(workspace)s has no free seat on its plan right now. Ask them to upgrade the plan or free a "
              "seat, then use this link again.") % {"workspace": request.tenant.name},
            code="plan_limit_reached",
        )
        return render(request, "accounts/invitation_error.html", {"error": error}, status=403)


def _accept(request, token):
    tenant = request.tenant
    try:
        invitation = invitation_find(tenant=tenant, token=token)
    except InvitationError as exc:
        status = 404 if exc.code == "invitation_invalid" else 410
        return render(request, "accounts/invitation_error.html", {"error": exc}, status=status)

    if request.user.is_authenticated:
        if request.user.email.lower() == invitation.email.lower():
            invitation_accept(tenant=tenant, token=token, user=request.user, request=request)
            return redirect("/")
        return render(request, "accounts/invitation_other_user.html", {"invitation": invitation})

    existing = get_user_model().objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        form = InvitationAcceptExistingForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            if not ratelimit.consume(request, action="login_failed", key=invitation.email.lower()):
                form.add_error(None, _("Too many attempts. Please wait a few minutes and try again."))
            else:
                user = authenticate(request, email=invitation.email, password=form.cleaned_data["password"])
                if user is None:
                    form.add_error("password", _("This password is not correct."))
                else:
                    invitation_accept(tenant=tenant, token=token, user=user, request=request)
                    return perform_login(request, user, redirect_url="/")
    else:
        form = InvitationAcceptNewForm(request.POST if request.method == "POST" else None, email=invitation.email)
        if request.method == "POST" and form.is_valid():
            try:
                user = invitation_accept_new_account(
                    tenant=tenant,
                    token=token,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                    language=translation.get_language() or "",
                    request=request,
                )
            except (AccountError, InvitationError) as exc:
                form.add_error(None, exc.message)
            else:
                return perform_login(request, user, redirect_url="/")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form, "has_account": existing is not None},
    )
