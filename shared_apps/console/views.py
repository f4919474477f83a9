"""The platform console on the public host."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing.forms import PlanForm, PlanOverrideForm
from billing.models import Plan
from billing.selectors import billing_account_for, billing_metrics
from billing.services import billing_plan_override, plan_update
from shared_apps.accounts.errors import AccountError
from shared_apps.accounts.forms import ImpersonateForm
from shared_apps.accounts.models import Membership
from shared_apps.accounts.services.impersonation import impersonation_start
from shared_apps.audit.selectors import security_event_list
from tenants.errors import TenantError
from tenants.forms import DomainFilterForm
from tenants.models import Tenant
from tenants.selectors import custom_domain_search
from tenants.services import tenant_resume, tenant_suspend

from .access import platform_staff_required
from .forms import AuditFilterForm, SuspendForm, TenantFilterForm
from .selectors import tenant_overview, tenant_search


@platform_staff_required
def tenant_list(request):
    form = TenantFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(tenant_search(**{k: v for k, v in filters.items() if v not in (None, "")}), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "console/tenant_list.html", {"form": form, "page": page, "total": page.paginator.count, "tab": "tenants"})


@platform_staff_required
def tenant_detail(request, slug):
    tenant = get_object_or_404(Tenant.objects.select_related("plan"), slug=slug)
    return render(
        request,
        "console/tenant_detail.html",
        {
            "tenant": tenant,
            **tenant_overview(tenant=tenant),
            "suspend_form": SuspendForm(),
            "billing": billing_account_for(tenant),
            "override_form": PlanOverrideForm(initial={"plan": tenant.plan.code}),
            "events": security_event_list(tenant=tenant)[:20],
            "tab": "tenants",
        },
    )


@platform_staff_required
@require_POST
def tenant_suspend_view(request, slug):
    tenant = get_object_or_404(Tenant, slug=slug)
    form = SuspendForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        tenant_suspend(tenant=tenant, reason=reason, actor=request.user, request=request)
    except TenantError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s is suspended.") % {"name": tenant.name})
    return redirect("console_tenant", slug=slug)


@platform_staff_required
@require_POST
def tenant_resume_view(request, slug):
    tenant = get_object_or_404(Tenant, slug=slug)
    try:
        tenant_resume(tenant=tenant, actor=request.user, request=request)
    except TenantError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s is active again.") % {"name": tenant.name})
    return redirect("console_tenant", slug=slug)


@platform_staff_required
@require_POST
def impersonate(request, slug, membership_id):
    tenant = get_object_or_404(Tenant, slug=slug)
    membership = get_object_or_404(Membership.objects.select_related("user", "tenant"), pk=membership_id, tenant=tenant)
    form = ImpersonateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why you need to act as this member (at least 5 characters)."))
        return redirect("console_tenant", slug=slug)
    if tenant.is_suspended:
        messages.error(request, _("Resume the workspace before acting as one of its members."))
        return redirect("console_tenant", slug=slug)
    try:
        url = impersonation_start(staff=request.user, membership=membership, reason=form.cleaned_data["reason"], request=request)
    except AccountError as exc:
        messages.error(request, exc.message)
        return redirect("console_tenant", slug=slug)
    return redirect(url)


@platform_staff_required
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = security_event_list(
        kind=filters.get("kind"),
        tenant_slug=filters.get("tenant"),
        actor_email=filters.get("actor"),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "console/audit_log.html", {"form": form, "page": page, "tab": "audit"})


@platform_staff_required
@require_POST
def tenant_plan_override(request, slug):
    tenant = get_object_or_404(Tenant.objects.select_related("plan"), slug=slug)
    form = PlanOverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a plan and say why (at least 5 characters)."))
        return redirect("console_tenant", slug=slug)
    plan = form.cleaned_data["plan"]
    billing_plan_override(tenant=tenant, plan=plan, note=form.cleaned_data["note"], actor=request.user, request=request)
    messages.success(request, _("%(name)s is now on the %(plan)s plan.") % {"name": tenant.name, "plan": plan.name})
    return redirect("console_tenant", slug=slug)


@platform_staff_required
def billing_overview(request):
    return render(request, "console/billing.html", {**billing_metrics(), "tab": "billing"})


@platform_staff_required
def plan_list(request):
    return render(request, "console/plan_list.html", {"plans": Plan.objects.order_by("sort_order", "code"), "tab": "plans"})


@platform_staff_required
def plan_edit(request, code):
    plan = get_object_or_404(Plan, code=code)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        plan_update(plan=plan, actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The plan %(name)s has been saved.") % {"name": plan.name})
        return redirect("console_plans")
    return render(request, "console/plan_edit.html", {"form": form, "plan": plan, "tab": "plans"})


@platform_staff_required
def domain_list(request):
    """Custom domains of every workspace: which route (verified), which wait for DNS and why."""
    form = DomainFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = Paginator(custom_domain_search(query=filters.get("q") or "", status=filters.get("status") or ""), 100).get_page(
        request.GET.get("page")
    )
    return render(request, "console/domain_list.html", {"form": form, "page": page, "tab": "domains"})
