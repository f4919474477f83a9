"""Contact pages: list, create, page, edit, delete, duplicates, merge, GDPR."""

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from billing.selectors import plan_notice
from portal.selectors import portal_contact_panel
from shared_apps.accounts.decorators import permission_required
from shared_apps.accounts.rules import can
from tenant_apps.records.errors import RecordError, RecordNotFound, deny_if_forbidden
from tenant_apps.records.list_views import list_context, members_of_workspace
from tenant_apps.records.merge_views import merge_screen
from tenant_apps.records.record_views import record_delete_page, record_form_page, record_save
from tenant_apps.records.models import LifecycleStage
from tenant_apps.records.record_pages import record_page_context

from .forms import ContactForm
from .models import Contact
from .selectors import contact_data_export, contact_duplicate_groups, contact_duplicates, contact_get
from .services import contact_create, contact_data_export_record, contact_delete, contact_erase, contact_merge, contact_update

ERROR_FIELDS = {"emails": "email", "phones": "phone"}


def _get(request, pk) -> Contact:
    try:
        return contact_get(user=request.user, pk=pk)
    except RecordNotFound as exc:
        raise Http404 from exc


@permission_required("workspace.view")
def contact_list(request):
    context = list_context(request, "contact")
    context.update(
        title=_("Contacts"), new_url=reverse("contact_new"), new_label=_("New contact"),
        duplicates_url=reverse("contact_duplicates"), can_merge=can(request.user, "records.merge"),
        inline_fields=("owner", "lifecycle_stage", "job_title", "city"),
        lifecycle_choices=LifecycleStage.choices,
        can_add=can(request.user, "contacts.add_contact"),
        # At or over the plan's contacts: a banner, and "New contact" disabled.
        plan_notice=plan_notice(request, "contacts"),
    )
    return render(request, "records/list_page.html", context)


def _save(request, form, contact=None):
    return record_save(request, form, entity="contact", create=contact_create, update=contact_update, record=contact,
                       error_fields=ERROR_FIELDS)


def _form(request, form, title, contact=None):
    return record_form_page(
        request, form, save=lambda f: _save(request, f, contact), title=title, record=contact,
        cancel_url=contact.get_absolute_url() if contact else reverse("contact_list"), company_lookup=True,
        wide_fields=("description", "other_emails", "other_phones"),
        # A new contact on a plan with no room: say so before the form is filled in.
        plan_notice=plan_notice(request, "contacts") if contact is None else None,
    )


@permission_required("contacts.add_contact")
def contact_new(request):
    form = ContactForm(request.POST if request.method == "POST" else None, members=members_of_workspace(request.tenant),
                       initial={"owner": str(request.user.pk), "lifecycle_stage": LifecycleStage.LEAD})
    return _form(request, form, _("New contact"))


@permission_required("workspace.view")
def contact_detail(request, pk):
    contact = _get(request, pk)
    context = record_page_context(request, record=contact, entity="contact")
    context["duplicates"] = contact_duplicates(contact=contact, user=request.user)
    context["portal"] = portal_contact_panel(contact=contact, user=request.user)
    return render(request, "contacts/detail.html", context)


@permission_required("workspace.view")
def contact_edit(request, pk):
    contact = _get(request, pk)
    if not can(request.user, "contacts.change_contact", contact):
        raise Http404
    form = ContactForm(request.POST if request.method == "POST" else None, members=members_of_workspace(request.tenant),
                       initial=ContactForm.initial_for(contact))
    return _form(request, form, _("Edit %(name)s") % {"name": contact}, contact)


@permission_required("workspace.view")
@require_POST
def contact_delete_view(request, pk):
    return record_delete_page(request, _get(request, pk), delete=contact_delete, entity="contact",
                              done_message=_("The contact has been deleted."), list_url_name="contact_list")


@permission_required("records.merge")
def contact_duplicates_view(request):
    groups = [{"key": email, "records": records} for email, records in contact_duplicate_groups(user=request.user)]
    return render(request, "records/duplicates_page.html", {
        "title": _("Duplicate contacts"), "explanation": _("Contacts that share an e-mail address."),
        "groups": groups, "back_url": reverse("contact_list"), "merge_url_name": "contact_merge",
    })


MERGE_FIELDS = [
    ("first_name", gettext_lazy("First name")), ("last_name", gettext_lazy("Last name")),
    ("job_title", gettext_lazy("Job title")), ("company", gettext_lazy("Company")),
    ("lifecycle_stage", gettext_lazy("Lifecycle stage")), ("owner", gettext_lazy("Owner")),
    ("city", gettext_lazy("City")), ("country", gettext_lazy("Country")), ("website", gettext_lazy("Website")),
]


@permission_required("records.merge")
def contact_merge_view(request, pk):
    """Merge `pk` with the contacts in ?with= (ids): pick the winning value per field."""
    primary = _get(request, pk)
    return merge_screen(
        request, primary=primary, get=lambda other: _get(request, other), fields=MERGE_FIELDS,
        merge=lambda p, others, choices: contact_merge(primary=p, duplicates=others, actor=request.user, choices=choices),
        title=_("Merge contacts"), none_message=_("Choose at least one other contact."),
        explanation=_("Everything moves to %(name)s: e-mails, phones, tags, deals, tasks and timeline. "
                      "Pick the value to keep where they differ. The others are then deleted.") % {"name": primary},
    )


@permission_required("workspace.view")
def contact_export_data(request, pk):
    """Everything about the person as a JSON download (GDPR access request)."""
    contact = _get(request, pk)
    try:
        contact_data_export_record(contact=contact, actor=request.user, request=request)
    except RecordError as exc:
        raise Http404 from exc
    payload = json.dumps(contact_data_export(contact=contact), ensure_ascii=False, indent=2, default=str)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.json"'
    return response


@permission_required("records.erase")
def contact_erase_view(request, pk):
    contact = _get(request, pk)
    if request.method == "POST":
        if request.POST.get("confirm", "").strip() != str(contact.pk):
            messages.error(request, _("Type the contact's number to confirm."))
        else:
            try:
                contact_erase(contact=contact, actor=request.user, request=request)
            except RecordError as exc:
                deny_if_forbidden(exc)
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The contact's personal data has been erased."))
                return redirect("contact_list")
    return render(request, "contacts/erase.html", {"contact": contact})
