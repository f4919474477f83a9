"""Quick-create from anywhere: a small form per record type in a dialog (the `c` key or
the top bar's New menu). GET gives the form's HTML, POST creates the record and answers
with its address as JSON, or the form with its errors (status 400). Without JavaScript
the New menu leads to the full forms."""

from dataclasses import dataclass

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shared_apps.accounts.decorators import permission_required
from shared_apps.accounts.rules import can

from .errors import RecordError, RecordValidationError, deny_if_forbidden
from .forms import apply_service_errors
from .record_views import record_save


@dataclass(frozen=True)
class QuickKind:
    key: str
    label: object
    permission: str
    full_form: str


KINDS = (
    QuickKind("contact", gettext_lazy("Contact"), "contacts.add_contact", "contact_new"),
    QuickKind("company", gettext_lazy("Company"), "companies.add_company", "company_new"),
    QuickKind("deal", gettext_lazy("Deal"), "deals.add_deal", "deal_new"),
    QuickKind("task", gettext_lazy("Task"), "tasks.add_task", "task_create"),
)


def quick_kinds_for(user) -> list[QuickKind]:
    return [kind for kind in KINDS if can(user, kind.permission)]


def _form(request, key, data=None):
    if key == "contact":
        from tenant_apps.contacts.forms import ContactQuickForm

        return ContactQuickForm(data)
    if key == "company":
        from tenant_apps.companies.forms import CompanyQuickForm

        return CompanyQuickForm(data)
    if key == "deal":
        from tenant_apps.deals.forms import DealQuickCreateForm

        return DealQuickCreateForm(data)
    from tenant_apps.tasks.forms import TaskForm
    from tenant_apps.tasks.models import Task
    from tenant_apps.tasks.selectors import request_zone

    return TaskForm(data, assignees=[(request.user.pk, request.user.display_name)], link_choices=[],
                    zone=request_zone(request), initial={"priority": Task.Priority.NORMAL})


def _create(request, key, form):
    """The new record, or None with the service's errors on the form."""
    if key == "task":
        from tenant_apps.tasks.services import task_create

        try:
            return task_create(actor=request.user, data=form.service_data(actor=request.user))
        except RecordValidationError as exc:
            apply_service_errors(form, exc.errors, {"due_at": "due_date"})
            return None
    if key == "contact":
        from tenant_apps.contacts.services import contact_create as create
    elif key == "company":
        from tenant_apps.companies.services import company_create as create
    else:
        from tenant_apps.deals.services import deal_create as create
    return record_save(request, form, entity=key, create=create, error_fields=ERROR_FIELDS)


ERROR_FIELDS = {"emails": "email", "phones": "phone"}
QUICK_FIELDS = {"task": ("title", "due_date", "due_time", "priority")}


@permission_required("workspace.view")
def quick_create(request, entity):
    kind = next((k for k in KINDS if k.key == entity), None)
    if kind is None or not can(request.user, kind.permission):
        raise Http404
    form = _form(request, entity, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record = _create(request, entity, form)
        except RecordError as exc:
            deny_if_forbidden(exc)
            form.add_error(None, exc.message)
            record = None
        if record is not None:
            return JsonResponse(
                {"url": record.get_absolute_url(), "message": _("“%(name)s” has been created.") % {"name": record}},
                status=201,
            )
    visible = QUICK_FIELDS.get(entity)
    fields = [form[name] for name in visible] + [form[n] for n in form.fields if n.startswith("cf_")] if visible else list(form)
    context = {"form": form, "fields": fields, "kind": kind, "kinds": quick_kinds_for(request.user)}
    return render(request, "records/_quick_form.html", context, status=400 if form.errors else 200)
