"""The customer's own details in the portal, and "download my data"."""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenant_apps.records.errors import RecordPermissionError, RecordValidationError

from .access import portal_login_required
from .forms import ProfileForm
from .customer_selectors import portal_data_export
from .customer_services import portal_data_export_record, portal_profile_update


@portal_login_required
def profile(request):
    """GET: the form prefilled from the contact; POST: save through the contacts service."""
    access = request.portal_access
    form = ProfileForm.for_contact(access.contact, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            portal_profile_update(access=access, data=form.cleaned_data, actor=request.user)
        except RecordValidationError as exc:
            for field, message in exc.errors.items():
                field = "phone" if field == "phones" else field
                form.add_error(field if field in form.fields else None, message)
        except RecordPermissionError:
            return redirect("portal_login")
        else:
            messages.success(request, _("Your details have been saved."))
            return redirect("portal_profile")
    return render(request, "portal/profile.html", {"form": form, "contact": access.contact},
                  status=400 if form.errors else 200)


@portal_login_required
@require_POST
def data_export(request):
    """Everything the portal shows the customer, as one JSON file (logged in the security log)."""
    access = request.portal_access
    portal_data_export_record(access=access, actor=request.user, request=request)
    payload = json.dumps(portal_data_export(access=access), ensure_ascii=False, indent=2, default=str)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    name = f"my-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
