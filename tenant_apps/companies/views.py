"""Company pages: list, create, page, edit, delete, duplicates, merge; name lookup."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shared_apps.accounts.decorators import permission_required
from shared_apps.accounts.rules import can
from tenant_apps.records.errors import RecordNotFound
from tenant_apps.records.list_views import list_context, members_of_workspace
from tenant_apps.records.merge_views import merge_screen
from tenant_apps.records.record_views import record_delete_page, record_form_page, record_save
from tenant_apps.records.models import LifecycleStage
from tenant_apps.records.record_pages import record_page_context
from tenant_apps.records.visibility import visible

from .forms import CompanyForm
from .models import Company
from .selectors import company_duplicate_groups, company_duplicates, company_get
from .services import company_create, company_delete, company_merge, company_update


def _get(request, pk) -> Company:
    try:
        return company_get(user=request.user, pk=pk)
    except RecordNotFound as exc:
        raise Http404 from exc


@permission_required("workspace.view")
def company_list(request):
    context = list_context(request, "company")
    context.update(
        title=_("Companies"), new_url=reverse("company_new"), new_label=_("New company"),
        duplicates_url=reverse("company_duplicates"), can_merge=can(request.user, "records.merge"),
        inline_fields=("owner", "lifecycle_stage", "city"),
        lifecycle_choices=LifecycleStage.choices,
        can_add=can(request.user, "companies.add_company"),
    )
    return render(request, "records/list_page.html", context)


def _save(request, form, company=None):
    return record_save(request, form, entity="company", create=company_create, update=company_update, record=company)


def _form(request, form, title, company=None):
    return record_form_page(
        request, form, save=lambda f: _save(request, f, company), title=title, record=company,
        cancel_url=company.get_absolute_url() if company else reverse("company_list"), wide_fields=("description",),
    )


@permission_required("companies.add_company")
def company_new(request):
    form = CompanyForm(request.POST if request.method == "POST" else None, members=members_of_workspace(request.tenant),
                       initial={"owner": str(request.user.pk), "lifecycle_stage": LifecycleStage.LEAD})
    return _form(request, form, _("New company"))


@permission_required("workspace.view")
def company_detail(request, pk):
    company = _get(request, pk)
    context = record_page_context(request, record=company, entity="company")
    context["duplicates"] = company_duplicates(company=company, user=request.user)
    context["people"] = visible(company.contacts.all(), request.user).order_by("last_name", "first_name")[:100]
    return render(request, "companies/detail.html", context)


@permission_required("workspace.view")
def company_edit(request, pk):
    company = _get(request, pk)
    if not can(request.user, "companies.change_company", company):
        raise Http404
    form = CompanyForm(request.POST if request.method == "POST" else None, members=members_of_workspace(request.tenant),
                       initial=CompanyForm.initial_for(company))
    return _form(request, form, _("Edit %(name)s") % {"name": company}, company)


@permission_required("workspace.view")
@require_POST
def company_delete_view(request, pk):
    return record_delete_page(request, _get(request, pk), delete=company_delete, entity="company",
                              done_message=_("The company has been deleted."), list_url_name="company_list")


@permission_required("records.merge")
def company_duplicates_view(request):
    groups = [{"key": domain, "records": records} for domain, records in company_duplicate_groups(user=request.user)]
    return render(request, "records/duplicates_page.html", {
        "title": _("Duplicate companies"), "explanation": _("Companies that share a domain."),
        "groups": groups, "back_url": reverse("company_list"), "merge_url_name": "company_merge",
    })


MERGE_FIELDS = [
    ("name", gettext_lazy("Name")), ("website", gettext_lazy("Website")), ("email", gettext_lazy("E-mail")),
    ("phone", gettext_lazy("Phone")), ("industry", gettext_lazy("Industry")), ("size", gettext_lazy("Size")),
    ("tax_id", gettext_lazy("Tax / VAT number")), ("city", gettext_lazy("City")), ("country", gettext_lazy("Country")),
    ("owner", gettext_lazy("Owner")), ("lifecycle_stage", gettext_lazy("Lifecycle stage")),
]


@permission_required("records.merge")
def company_merge_view(request, pk):
    primary = _get(request, pk)
    return merge_screen(
        request, primary=primary, get=lambda other: _get(request, other), fields=MERGE_FIELDS,
        merge=lambda p, others, choices: company_merge(primary=p, duplicates=others, actor=request.user, choices=choices),
        title=_("Merge companies"), none_message=_("Choose at least one other company."),
        explanation=_("Everything moves to %(name)s: contacts, deals, tags, tasks and timeline. "
                      "Pick the value to keep where they differ. The others are then deleted.") % {"name": primary},
    )


@permission_required("workspace.view")
def company_lookup(request):
    """Names of companies starting like ?q= (for the contact form's suggestions)."""
    q = (request.GET.get("q") or "").strip()
    if len(q) < 2:
        return JsonResponse({"results": []})
    names = visible(Company.objects.filter(name__istartswith=q), request.user).order_by("name").values_list("pk", "name")[:10]
    return JsonResponse({"results": [{"id": pk, "name": name} for pk, name in names]})
