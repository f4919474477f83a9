"""Settings pages for records: custom fields and who sees what."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.decorators import permission_required

from .custom_fields import custom_fields_for
from .errors import RecordError, RecordValidationError, deny_if_forbidden
from .forms import CustomFieldEditForm, CustomFieldForm, VisibilityForm, apply_service_errors
from .models import CustomField, Entity, entity_model
from .settings_services import (
    custom_field_create,
    custom_field_delete,
    custom_field_update,
    custom_fields_reorder,
    records_visibility_set,
)


def _entity(value) -> str:
    return value if value in Entity.values else Entity.CONTACT


def _fields_url(entity: str) -> str:
    return f"{reverse('settings_fields')}?entity={entity}"


@permission_required("records.manage_fields")
def fields(request):
    entity = _entity(request.POST.get("entity") or request.GET.get("entity"))
    form = CustomFieldForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            field = custom_field_create(actor=request.user, entity=entity, **form.cleaned_data)
        except RecordValidationError as exc:
            apply_service_errors(form, exc.errors)
        else:
            messages.success(request, _("The field “%(label)s” has been added.") % {"label": field.label})
            return redirect(_fields_url(entity))
    context = {
        "section": "fields",
        "entity": entity,
        "entities": Entity.choices,
        "fields": custom_fields_for(entity, active_only=False),
        "form": form,
    }
    return render(request, "records/settings_fields.html", context, status=400 if form.errors else 200)


@permission_required("records.manage_fields")
def field_edit(request, pk):
    field = get_object_or_404(CustomField, pk=pk)
    initial = {"label": field.label, "options": "\n".join(field.options), "is_required": field.is_required,
               "is_active": field.is_active}
    form = CustomFieldEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            custom_field_update(field=field, actor=request.user, **form.cleaned_data)
        except RecordValidationError as exc:
            apply_service_errors(form, exc.errors)
        else:
            messages.success(request, _("The field has been saved."))
            return redirect(_fields_url(field.entity))
    return render(request, "records/settings_field_edit.html", {"section": "fields", "field": field, "form": form},
                  status=400 if form.errors else 200)


@permission_required("records.manage_fields")
def field_delete(request, pk):
    field = get_object_or_404(CustomField, pk=pk)
    if request.method == "POST":
        entity = field.entity
        custom_field_delete(field=field, actor=request.user)
        messages.success(request, _("The field and its values have been deleted."))
        return redirect(_fields_url(entity))
    in_use = entity_model(field.entity).objects.filter(custom__has_key=field.key).count()
    return render(request, "records/settings_field_delete.html", {"section": "fields", "field": field, "in_use": in_use})


@permission_required("records.manage_fields")
@require_POST
def fields_reorder(request):
    entity = _entity(request.POST.get("entity"))
    ids = request.POST.getlist("ids")
    move, pk = request.POST.get("move"), request.POST.get("field")
    if move in ("up", "down") and pk:
        ids = [str(f.pk) for f in custom_fields_for(entity, active_only=False)]
        if pk not in ids:
            raise Http404
        i = ids.index(pk)
        j = i - 1 if move == "up" else i + 1
        if 0 <= j < len(ids):
            ids[i], ids[j] = ids[j], ids[i]
    try:
        custom_fields_reorder(actor=request.user, entity=entity, field_ids=ids)
    except RecordError as exc:
        deny_if_forbidden(exc)
        messages.error(request, " ".join(str(m) for m in getattr(exc, "errors", {}).values()) or exc.message)
    return redirect(_fields_url(entity))


@permission_required("workspace.change_settings")
def visibility(request):
    form = VisibilityForm(request.POST if request.method == "POST" else None, initial={"sales_see_own_only": request.tenant.sales_see_own_only})
    if request.method == "POST" and form.is_valid():
        records_visibility_set(
            tenant=request.tenant, actor=request.user, request=request,
            sales_see_own_only=form.cleaned_data["sales_see_own_only"],
        )
        messages.success(request, _("Record visibility has been saved."))
        return redirect("settings_visibility")
    return render(request, "records/settings_visibility.html", {"section": "visibility", "form": form})
