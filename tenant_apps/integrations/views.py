"""Settings → Integrations: the workspace's API keys (owners and admins)."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing.entitlements import entitlement_allows
from billing.errors import BILLING_PAGE, EntitlementError
from shared_apps.accounts.decorators import permission_required
from tenant_apps.records.forms import apply_service_errors

from .errors import ApiKeyPermissionError, ApiKeyValidationError
from .forms import ApiKeyForm
from .models import ApiKey
from .selectors import api_keys_list
from .services import api_key_create, api_key_revoke


@permission_required("integrations.manage_api_keys")
def integrations(request):
    form = ApiKeyForm(request.POST if request.method == "POST" else None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data["expires_in"]
        expires_at = timezone.now() + timedelta(days=int(days)) if days else None
        try:
            created, secret = api_key_create(
                actor=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"],
                expires_at=expires_at, request=request,
            )
        except ApiKeyValidationError as exc:
            apply_service_errors(form, exc.errors)
        except (ApiKeyPermissionError, EntitlementError) as exc:
            form.add_error(None, exc.message)
        else:
            form = ApiKeyForm()
    context = {
        "section": "integrations",
        "keys": api_keys_list(),
        "form": form,
        "created": created,
        # Shown on this response only: the secret is not stored, so it cannot be shown again.
        "secret": secret,
        "now": timezone.now(),
        # Without API access in the plan the form is shown disabled, with the way to upgrade.
        "api_allowed": entitlement_allows(request.tenant, "api"),
        "billing_url": BILLING_PAGE,
    }
    response = render(request, "integrations/settings_integrations.html", context, status=400 if form.errors else 200)
    response["Cache-Control"] = "no-store"
    return response


@permission_required("integrations.manage_api_keys")
@require_POST
def api_key_revoke_view(request, pk):
    key = get_object_or_404(ApiKey, pk=pk)
    api_key_revoke(key=key, actor=request.user, request=request)
    messages.success(request, _("The key “%(name)s” has been revoked.") % {"name": key.name})
    return redirect("settings_integrations")
