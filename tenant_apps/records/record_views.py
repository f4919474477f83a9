"""What the contact, company and deal pages share: saving a record form through its
services, the new/edit page around it, and deletion."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from billing.errors import EntitlementError

from .errors import RecordError, RecordValidationError, deny_if_forbidden
from .forms import apply_service_errors


def record_save(request, form, *, entity: str, create, update=None, record=None, error_fields=None):
    """Run a valid form through `create(actor=, data=)` or `update(<entity>=record,
    actor=, data=)`. A typed company name becomes the company (made if new) in the same
    transaction, so it does not outlive a record that fails. Returns the record, or None
    with the service's errors put on the form."""
    from tenant_apps.companies.services import company_for_name

    data = form.service_data()
    try:
        with transaction.atomic():
            if "company_name" in form.cleaned_data:
                data["company"] = company_for_name(name=form.cleaned_data["company_name"], actor=request.user)
            if record is None:
                return create(actor=request.user, data=data)
            return update(**{entity: record}, actor=request.user, data=data)
    except RecordValidationError as exc:
        apply_service_errors(form, exc.errors, {"company": "company_name", **(error_fields or {})})
    except RecordError as exc:
        deny_if_forbidden(exc)
        form.add_error(None, exc.message)
    except EntitlementError as exc:
        form.add_error(None, exc.message)
    return None


def record_form_page(request, form, *, save, title: str, cancel_url: str, record=None, **context):
    """The new / edit page: on a valid POST `save(form)` and go to the record; else the
    form (with its errors)."""
    if request.method == "POST" and form.is_valid():
        saved = save(form)
        if saved is not None:
            if record is None:
                messages.success(request, _("%(name)s has been added.") % {"name": saved})
            else:
                messages.success(request, _("Saved."))
            return redirect(saved)
    return render(request, "records/form_page.html", {"form": form, "title": title, "cancel_url": cancel_url, **context})


def record_delete_page(request, record, *, delete, entity: str, done_message: str, list_url_name: str):
    """Delete through the service; back to the record with the reason when refused."""
    try:
        delete(**{entity: record}, actor=request.user)
    except RecordError as exc:
        deny_if_forbidden(exc)
        messages.error(request, exc.message)
        return redirect(record)
    messages.success(request, done_message)
    return redirect(list_url_name)
