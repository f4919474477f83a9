"""Arriving on a host by hand-off token, and leaving an impersonation."""

from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.models import Device

from tenants.hosts import public_url

from ..binding import IMPERSONATION_UNTIL_KEY, IMPERSONATOR_EMAIL_KEY, IMPERSONATOR_ID_KEY, is_impersonating
from ..errors import HandoffError
from ..services.handoff import handoff_redeem
from ..services.impersonation import impersonation_end

BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


@never_cache
def handoff(request):
    try:
        grant = handoff_redeem(
            token=request.GET.get("token", ""), tenant=request.tenant, surface=getattr(request, "surface", "app")
        )
    except HandoffError as exc:
        return render(request, "accounts/handoff_error.html", {"error": exc}, status=400)
    if request.user.is_authenticated:
        logout(request)
    user = grant.user
    if grant.impersonator is not None:
        request.session[IMPERSONATOR_ID_KEY] = grant.impersonator.pk
        request.session[IMPERSONATOR_EMAIL_KEY] = grant.impersonator.email
        request.session[IMPERSONATION_UNTIL_KEY] = grant.impersonation_until.isoformat()
    elif grant.otp_device_id:
        device = Device.from_persistent_id(grant.otp_device_id)
        if device is not None and device.user_id == user.pk and device.confirmed:
            user.otp_device = device  # django-otp marks the new session verified
    login(request, user, backend=BACKEND)
    return redirect(grant.next_path)


@require_POST
def impersonation_stop(request):
    if is_impersonating(request):
        impersonation_end(request=request)
        request.session.flush()
    return redirect(public_url("/console/"))
