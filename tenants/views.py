"""The workspace's domains on /settings/domains/ (owners and admins)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing.entitlements import entitlement_allows
from billing.errors import BILLING_PAGE, EntitlementError
from shared_apps.accounts.decorators import permission_required

from .errors import DomainError
from .forms import DomainAddForm
from .selectors import domain_get, domain_instructions, domain_list
from .services.domains import domain_add, domain_make_primary, domain_remove, domain_verify

PERMISSION = "workspace.change_settings"


@permission_required(PERMISSION)
def settings_domains(request):
    form = DomainAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            domain = domain_add(
                tenant=request.tenant, hostname=form.cleaned_data["domain"], surface=form.cleaned_data["surface"],
                actor=request.user, request=request,
            )
        except (DomainError, EntitlementError) as exc:
            form.add_error("domain", exc.message)
        else:
            messages.success(
                request, _("%(domain)s has been added. Create the DNS records below, then verify it.") % {"domain": domain.domain}
            )
            return redirect("settings_domains")
    domains = domain_list(tenant=request.tenant)
    rows = [(d, None if d.is_platform else domain_instructions(d)) for d in domains]
    return render(
        request,
        "tenants/settings_domains.html",
        {
            "section": "domains",
            "form": form,
            "rows": rows,
            "allowed": entitlement_allows(request.tenant, "custom_domains"),
            "billing_url": BILLING_PAGE,
        },
        status=400 if form.errors else 200,
    )


def _domain(request, pk):
    domain = domain_get(tenant=request.tenant, pk=pk)
    if domain is None:
        raise Http404
    return domain


@permission_required(PERMISSION)
@require_POST
def settings_domain_verify(request, pk):
    domain = _domain(request, pk)
    try:
        domain = domain_verify(domain=domain, actor=request.user, request=request)
    except (DomainError, EntitlementError) as exc:
        messages.error(request, exc.message)
    else:
        if domain.is_verified:
            messages.success(request, _("%(domain)s is verified and now leads to your workspace.") % {"domain": domain.domain})
        else:
            messages.error(
                request, _("%(domain)s could not be verified yet: %(problem)s")
                % {"domain": domain.domain, "problem": domain.last_error_message},
            )
    return redirect("settings_domains")


@permission_required(PERMISSION)
@require_POST
def settings_domain_primary(request, pk):
    domain = _domain(request, pk)
    try:
        domain_make_primary(domain=domain, actor=request.user, request=request)
    except (DomainError, EntitlementError) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Links to your workspace now use %(domain)s.") % {"domain": domain.domain})
    return redirect("settings_domains")


@permission_required(PERMISSION)
@require_POST
def settings_domain_remove(request, pk):
    domain = _domain(request, pk)
    try:
        domain_remove(domain=domain, actor=request.user, request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(domain)s has been removed and no longer leads to your workspace.") % {"domain": domain.domain})
    return redirect("settings_domains")
