"""The signed-in user's own pages: profile, sessions, workspaces."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.hosts import public_url

from ..forms import ProfileForm
from ..models import UserSession
from ..selectors import memberships_for_user, session_list_for_user
from ..services.sessions import session_revoke, sessions_revoke_all
from ..services.two_factor import recovery_codes_left
from ..services.users import user_update_profile


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(request.POST if request.method == "POST" else None, initial={"full_name": user.full_name, "language": user.language})
    if request.method == "POST" and form.is_valid():
        user_update_profile(user=user, **form.cleaned_data)
        if user.language:
            translation.activate(user.language)
        messages.success(request, _("Your profile has been saved."))
        response = redirect("account_profile")
        if user.language:
            response.set_cookie("tessera_language", user.language, samesite="Lax")
        return response
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def security(request):
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "recovery_left": recovery_codes_left(user=user) if user.two_factor_enabled else 0,
            "sessions": session_list_for_user(user=user),
            "current_key": request.session.session_key,
        },
    )


@login_required
@require_POST
def session_revoke_view(request, pk):
    user_session = get_object_or_404(UserSession, pk=pk, user=request.user)
    if user_session.session_key == request.session.session_key:
        return redirect("account_logout")
    session_revoke(user_session=user_session, actor=request.user, request=request)
    messages.success(request, _("That session has been signed out."))
    return redirect("account_security")


@login_required
@require_POST
def sessions_revoke_others(request):
    count = sessions_revoke_all(user=request.user, actor=request.user, request=request)
    messages.success(request, _("Signed out of %(count)d other sessions.") % {"count": count})
    return redirect("account_security")


@login_required
def workspaces(request):
    return render(
        request,
        "accounts/workspaces.html",
        {"memberships": memberships_for_user(request.user), "signup_url": public_url("/signup/")},
    )


@login_required
def workspace_open(request, slug):
    """Carry the signed-in user to one of their workspaces (hand-off to its host)."""
    import django_otp

    from ..services.handoff import handoff_issue

    membership = memberships_for_user(request.user).filter(tenant__slug=slug).first()
    if membership is None:
        raise Http404
    device_id = request.session.get(django_otp.DEVICE_ID_SESSION_KEY) if request.user.is_verified() else None
    return redirect(handoff_issue(user=request.user, tenant=membership.tenant, otp_device_id=device_id))
