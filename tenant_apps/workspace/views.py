"""The staff app's dashboard and workspace settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from billing.errors import EntitlementError
from billing.selectors import plan_notice
from shared_apps.accounts.decorators import permission_required

from shared_apps.accounts.errors import AccountError
from shared_apps.accounts.forms import InvitationForm, RoleForm
from shared_apps.accounts.models import Invitation, Membership, UserSession
from shared_apps.accounts.rules import can, roles_grantable_by
from shared_apps.accounts.selectors import invitation_list_open, member_list, session_list_for_tenant
from shared_apps.accounts.services.invitations import invitation_create, invitation_resend, invitation_revoke
from shared_apps.accounts.services.members import membership_change_role, membership_remove
from shared_apps.accounts.services.sessions import session_revoke
from shared_apps.audit.selectors import security_event_list
from tenants.hosts import public_url
from themes.errors import BrandingError
from themes.navigation import settings_tabs_for
from themes.selectors import branding_row
from themes.services import branding_update

from .dashboard import dashboard_cards
from .forms import BrandingForm, CompanyProfileForm, SecurityPolicyForm
from .selectors import workspace_profile
from .services import PROFILE_FIELDS, workspace_profile_update, workspace_require_2fa_set


@login_required
def dashboard(request):
    return render(request, "workspace/dashboard.html", {"cards": dashboard_cards(request)})


@login_required
def settings_profile(request):
    """The first settings tab; someone who may not change the company profile (a manager)
    lands on the first tab they may open."""
    if not can(request.user, "workspace.change_settings"):
        tabs = settings_tabs_for(request.user)
        if tabs:
            return redirect(tabs[0].url_name)
        raise PermissionDenied
    profile = workspace_profile()
    initial = {field: getattr(profile, field) for field in PROFILE_FIELDS}
    initial["name"] = request.tenant.name
    form = CompanyProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            workspace_profile_update(tenant=request.tenant, name=data.pop("name"), actor=request.user, **data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The company profile has been saved."))
            return redirect("settings_profile")
    return render(request, "workspace/settings_profile.html", {"form": form, "section": "profile"})


@permission_required("workspace.change_settings")
def settings_branding(request):
    branding = branding_row()
    form = BrandingForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"primary_colour": branding.primary_colour, "accent_colour": branding.accent_colour},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("logo")
        try:
            branding_update(
                primary_colour=form.cleaned_data["primary_colour"],
                accent_colour=form.cleaned_data["accent_colour"],
                actor=request.user,
                logo=upload.read() if upload else None,
                remove_logo=form.cleaned_data["remove_logo"],
            )
        except (BrandingError, EntitlementError) as exc:
            form.add_error("logo", exc.message)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The branding has been saved."))
            return redirect("settings_branding")
    return render(request, "workspace/settings_branding.html", {"form": form, "branding": branding, "section": "branding"})


@permission_required("workspace.manage_members")
def settings_members(request):
    roles = roles_grantable_by(request.user)
    form = InvitationForm(request.POST if request.method == "POST" else None, roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_create(
                tenant=request.tenant, email=form.cleaned_data["email"], role=form.cleaned_data["role"],
                actor=request.user, request=request,
            )
        except (AccountError, EntitlementError) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("settings_members")
    members = list(member_list(tenant=request.tenant))
    for membership in members:
        membership.can_manage = can(request.user, "workspace.manage_member", membership)
        membership.role_form = RoleForm(initial={"role": membership.role}, roles=roles, prefix=f"m{membership.pk}")
    return render(
        request,
        "workspace/settings_members.html",
        {
            "form": form,
            "members": members,
            "invitations": invitation_list_open(tenant=request.tenant),
            "grantable_roles": roles,
            "section": "members",
            # No seat left: the invitation form is disabled, with the way to upgrade.
            "plan_notice": plan_notice(request, "seats"),
        },
    )


def _membership_or_404(request, pk) -> Membership:
    return get_object_or_404(Membership.objects.select_related("user", "tenant"), pk=pk, tenant=request.tenant)


@permission_required("workspace.manage_members")
@require_POST
def member_role(request, pk):
    membership = _membership_or_404(request, pk)
    form = RoleForm(request.POST, roles=roles_grantable_by(request.user), prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return redirect("settings_members")
    try:
        membership = membership_change_role(
            membership=membership, role=form.cleaned_data["role"], actor=request.user, request=request
        )
    except AccountError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s is now %(role)s.") % {
            "name": membership.user.display_name, "role": membership.get_role_display()})
    return redirect("settings_members")


@login_required
@require_POST
def member_remove(request, pk):
    membership = _membership_or_404(request, pk)
    leaving = membership.user_id == request.user.pk
    if not leaving and not can(request.user, "workspace.manage_members"):
        raise Http404
    try:
        membership_remove(membership=membership, actor=request.user, request=request)
    except AccountError as exc:
        messages.error(request, exc.message)
        return redirect("settings_members" if not leaving else "account_profile")
    if leaving:
        return redirect(public_url("/account/workspaces/"))
    messages.success(request, _("%(name)s has been removed.") % {"name": membership.user.display_name})
    return redirect("settings_members")


def _invitation_or_404(request, pk) -> Invitation:
    return get_object_or_404(Invitation, pk=pk, tenant=request.tenant)


@permission_required("workspace.manage_members")
@require_POST
def invitation_resend_view(request, pk):
    try:
        invitation = invitation_resend(invitation=_invitation_or_404(request, pk), actor=request.user, request=request)
    except AccountError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Invitation sent again to %(email)s.") % {"email": invitation.email})
    return redirect("settings_members")


@permission_required("workspace.manage_members")
@require_POST
def invitation_revoke_view(request, pk):
    try:
        invitation_revoke(invitation=_invitation_or_404(request, pk), actor=request.user, request=request)
    except AccountError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The invitation has been withdrawn."))
    return redirect("settings_members")


@permission_required("workspace.change_security")
def settings_security(request):
    tenant = request.tenant
    form = SecurityPolicyForm(request.POST if request.method == "POST" else None, initial={"require_2fa": tenant.require_2fa})
    if request.method == "POST" and form.is_valid():
        try:
            workspace_require_2fa_set(
                tenant=tenant, required=form.cleaned_data["require_2fa"], actor=request.user, request=request
            )
        except AccountError as exc:
            form.add_error("require_2fa", exc.message)
        else:
            messages.success(request, _("The security policy has been saved."))
            return redirect("settings_security")
    return render(
        request,
        "workspace/settings_security.html",
        {
            "form": form,
            "members": member_list(tenant=tenant),
            "sessions": session_list_for_tenant(tenant=tenant)[:100],
            "events": security_event_list(tenant=tenant)[:50],
            "section": "security",
            "current_key": request.session.session_key,
        },
    )


@permission_required("workspace.change_security")
@require_POST
def session_revoke_view(request, pk):
    user_session = get_object_or_404(UserSession.objects.select_related("user", "tenant"), pk=pk, tenant=request.tenant)
    try:
        session_revoke(user_session=user_session, actor=request.user, request=request)
    except AccountError:
        raise Http404 from None
    messages.success(request, _("That session has been signed out."))
    return redirect("settings_security")
