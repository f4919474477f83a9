"""Pages of the assistant: refreshing a deal's analysis, and Settings → AI assistant."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing.entitlements import limit_of, plan_of, usage_of
from billing.errors import BILLING_PAGE
from shared_apps.accounts.decorators import permission_required
from tenant_apps.deals.selectors import deal_get
from tenant_apps.records.errors import RecordNotFound

from .client import endpoint_for
from .errors import AnalysisForbidden, AssistantError
from .forms import AssistantSettingsForm
from .selectors import assistant_own_key_allowed, assistant_settings_of
from .services import assistant_settings_update, deal_analysis_refresh


@permission_required("workspace.view")
@require_POST
def deal_analysis_refresh_view(request, pk):
    try:
        deal = deal_get(user=request.user, pk=pk)
    except RecordNotFound as exc:
        raise Http404 from exc
    try:
        deal_analysis_refresh(deal=deal, actor=request.user)
    except AnalysisForbidden as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except AssistantError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The deal has been analysed."))
    return redirect(f"{deal.get_absolute_url()}#deal-analysis")


@permission_required("assistant.configure")
def settings_assistant(request):
    tenant = request.tenant
    allowed = assistant_own_key_allowed(tenant)
    own = assistant_settings_of(tenant)
    initial = {"base_url": own.base_url, "model": own.model} if own else {}
    form = AssistantSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                assistant_settings_update(
                    tenant=tenant, actor=request.user, base_url=data["base_url"], model=data["model"],
                    api_key=data["api_key"], clear_key=data["clear_key"],
                )
            except AssistantError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Saved."))
                return redirect("settings_assistant")
    endpoint = endpoint_for(tenant)
    plan = plan_of(tenant)
    context = {
        "section": "assistant",
        "form": form,
        "own_allowed": allowed,
        "own": own,
        "endpoint": endpoint,
        "credits_used": usage_of(tenant, "ai_credits"),
        "credits_limit": limit_of(plan, "ai_credits"),
        "tokens_per_credit": number_format(settings.AI_TOKENS_PER_CREDIT, force_grouping=True),
        "billing_url": BILLING_PAGE,
    }
    response = render(request, "assistant/settings_assistant.html", context, status=400 if form.errors else 200)
    response["Cache-Control"] = "no-store"
    return response
