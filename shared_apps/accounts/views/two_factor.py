"""Setting up, using and turning off the second factor."""

import django_otp
from allauth.account.stages import LoginStageController
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..errors import TwoFactorError
from ..forms import CodeForm, TotpConfirmForm, TwoFactorDisableForm
from ..services.two_factor import (
    recovery_codes_regenerate,
    totp_device_pending,
    totp_qr_svg,
    totp_secret_display,
    two_factor_disable,
    two_factor_enable,
    two_factor_verify,
)
from ..stages import SecondFactorStage

RECOVERY_CODES_SESSION_KEY = "tessera.recovery_codes"
MAX_FAILED_CODES = 5


def _safe_next(request, default="/"):
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@login_required
def setup(request):
    user = request.user
    if user.two_factor_enabled:
        return redirect("account_security")
    device = totp_device_pending(user=user)
    form = TotpConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor_enable(user=user, device=device, code=form.cleaned_data["code"], request=request)
        except TwoFactorError as exc:
            form.add_error("code", exc.message)
        else:
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("two_factor_recovery_codes")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "qr_svg": totp_qr_svg(device), "secret": totp_secret_display(device)},
    )


@login_required
def recovery_codes(request):
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("account_security")
    return render(request, "accounts/two_factor_recovery_codes.html", {"codes": codes})


@login_required
@require_POST
def recovery_codes_new(request):
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            codes = recovery_codes_regenerate(user=request.user, code=form.cleaned_data["code"], request=request)
        except TwoFactorError as exc:
            messages.error(request, exc.message)
        else:
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return redirect("two_factor_recovery_codes")
    else:
        messages.error(request, _("Enter a code to create new recovery codes."))
    return redirect("account_security")


@login_required
def disable(request):
    if not request.user.two_factor_enabled:
        return redirect("account_security")
    form = TwoFactorDisableForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor_disable(user=request.user, request=request, **form.cleaned_data)
        except TwoFactorError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Two-factor authentication is off."))
            return redirect("account_security")
    return render(request, "accounts/two_factor_disable.html", {"form": form})


def authenticate(request):
    """The second step of signing in (an allauth login stage)."""
    stage = LoginStageController.enter(request, SecondFactorStage.key)
    if stage is None:
        return redirect("account_login")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = stage.login.user
        try:
            device = two_factor_verify(user=user, code=form.cleaned_data["code"], request=request)
        except TwoFactorError as exc:
            failures = stage.state.get("failures", 0) + 1
            stage.state["failures"] = failures
            if failures >= MAX_FAILED_CODES:
                messages.error(request, _("Too many wrong codes. Please sign in again."))
                return stage.abort()
            from allauth.account.internal.stagekit import stash_login

            stash_login(request, stage.login)
            form.add_error("code", exc.message)
        else:
            user.otp_device = device
            left = getattr(device, "recovery_codes_left", None)
            response = stage.exit()
            if left is not None:
                messages.warning(
                    request,
                    _("You used a recovery code; %(n)d are left. Create new ones in your security settings.")
                    % {"n": left},
                )
            return response
    return render(request, "accounts/two_factor_authenticate.html", {"form": form})


@login_required
def verify(request):
    """A signed-in session that has not passed the second factor yet (e.g. it predates it)."""
    user = request.user
    next_url = _safe_next(request)
    if not user.two_factor_enabled or user.is_verified():
        return redirect(next_url)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor_verify(user=user, code=form.cleaned_data["code"], request=request)
        except TwoFactorError as exc:
            form.add_error("code", exc.message)
        else:
            django_otp.login(request, device)
            return redirect(next_url)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})
