"""The staff app's side of the portal: invite a contact, re-send, disable and enable from
the contact's page (writers), and the portal settings page (owners and admins)."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from billing.entitlements import entitlement_allows
from billing.errors import EntitlementError
from shared_apps.accounts.decorators import permission_required
from tenant_apps.contacts.selectors import contact_get
from tenant_apps.records.errors import RecordNotFound

from .errors import PortalError
from .models import PortalAccess
from .selectors import portal_access_for_contact, portal_accesses_list, portal_settings_get
from .services import (
    portal_access_disable,
    portal_access_enable,
    portal_access_invite,
    portal_access_resend,
    portal_settings_update,
)


def _contact(request, pk):
    try:
        return contact_get(user=request.user, pk=pk)
    except RecordNotFound as exc:
        raise Http404 from exc


def _run(request, action, done: str) -> None:
    try:
        action()
    except (PortalError, EntitlementError) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)


@permission_required("portal.invite")
@require_POST
def contact_portal_invite(request, pk):
    contact = _contact(request, pk)
    _run(request, lambda: portal_access_invite(contact=contact, actor=request.user),
         _("The invitation to the portal is on its way to %(email)s.") % {"email": contact.email})
    return redirect(contact.get_absolute_url())


def _contact_access(request, pk) -> PortalAccess:
    access = portal_access_for_contact(_contact(request, pk))
    if access is None:
        raise Http404
    return access


def _back(request, access):
    """To the settings page's list when the action came from there, else the contact."""
    if request.POST.get("back") == "settings":
        return redirect("settings_portal")
    return redirect(access.contact.get_absolute_url())


@permission_required("portal.invite")
@require_POST
def contact_portal_resend(request, pk):
    access = _contact_access(request, pk)
    _run(request, lambda: portal_access_resend(access=access, actor=request.user), _("The invitation has been sent again."))
    return redirect(access.contact.get_absolute_url())


@permission_required("portal.invite")
@require_POST
def contact_portal_disable(request, pk):
    access = _contact_access(request, pk)
    _run(request, lambda: portal_access_disable(access=access, actor=request.user), _("Portal access has been disabled."))
    return _back(request, access)


@permission_required("portal.invite")
@require_POST
def contact_portal_enable(request, pk):
    access = _contact_access(request, pk)
    _run(request, lambda: portal_access_enable(access=access, actor=request.user), _("Portal access has been enabled."))
    return _back(request, access)


class PortalSettingsForm(forms.Form):
    self_signup = forms.BooleanField(
        label=gettext_lazy("Let known contacts sign up themselves"), required=False,
        help_text=gettext_lazy("Anyone whose e-mail address belongs to one of your contacts may open a portal account."),
    )


@permission_required("portal.manage")
def settings_portal(request):
    form = PortalSettingsForm(request.POST if request.method == "POST" else None,
                              initial={"self_signup": portal_settings_get().self_signup})
    if request.method == "POST" and form.is_valid():
        try:
            portal_settings_update(self_signup=form.cleaned_data["self_signup"], actor=request.user)
        except PortalError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The portal settings have been saved."))
        return redirect("settings_portal")
    return render(request, "portal/staff/settings.html", {
        "section": "portal", "form": form, "accesses": portal_accesses_list(),
        "portal_on_plan": entitlement_allows(request.tenant, "portal"),
    })
