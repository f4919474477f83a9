"""Workspace-level CRM settings: custom fields, saved views, visibility."""

import re

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from shared_apps.accounts.rules import can

from .errors import RecordPermissionError, RecordValidationError
from .models import CustomField, Entity, SavedView, entity_model

KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_OPTIONS = 100


def _options(raw) -> list[str]:
    if isinstance(raw, str):
        raw = raw.replace("\r", "").split("\n")
    seen, options = set(), []
    for option in raw or []:
        option = " ".join(str(option).split())[:100]
        if option and option not in seen:
            seen.add(option)
            options.append(option)
    return options


def custom_field_create(*, actor, entity: str, label: str, field_type: str, key: str = "", options=None,
                        is_required: bool = False) -> CustomField:
    if not can(actor, "records.manage_fields"):
        raise RecordPermissionError()
    from django.utils.text import slugify

    errors = {}
    label = " ".join((label or "").split())
    key = (key or slugify(label).replace("-", "_"))[:40]
    if entity not in Entity.values:
        errors["entity"] = _("Choose a record type.")
    if not label:
        errors["label"] = _("Enter a label.")
    if not KEY.match(key):
        errors["key"] = _("Use lower-case letters, digits and underscores, starting with a letter.")
    if field_type not in CustomField.Type.values:
        errors["field_type"] = _("Choose a type.")
    options = _options(options)
    if field_type in (CustomField.Type.SELECT, CustomField.Type.MULTISELECT) and not options:
        errors["options"] = _("Add at least one choice, one per line.")
    if len(options) > MAX_OPTIONS:
        errors["options"] = _("At most %(n)d choices.") % {"n": MAX_OPTIONS}
    if errors:
        raise RecordValidationError(errors)
    try:
        with transaction.atomic():
            position = (CustomField.objects.filter(entity=entity).aggregate(m=Max("position"))["m"] or 0) + 1
            return CustomField.objects.create(
                entity=entity, key=key, label=label, field_type=field_type,
                options=options if field_type in (CustomField.Type.SELECT, CustomField.Type.MULTISELECT) else [],
                is_required=is_required, position=position,
            )
    except IntegrityError as exc:
        raise RecordValidationError({"key": _("This key is already used by another field.")}) from exc


def custom_field_update(*, field: CustomField, actor, label: str, options=None, is_required: bool = False,
                        is_active: bool = True) -> CustomField:
    """Label, choices, required and active can change; the key and type cannot (values
    stored under them would stop meaning what they meant)."""
    if not can(actor, "records.manage_fields"):
        raise RecordPermissionError()
    label = " ".join((label or "").split())
    if not label:
        raise RecordValidationError({"label": _("Enter a label.")})
    field.label, field.is_required, field.is_active = label, is_required, is_active
    if field.field_type in (CustomField.Type.SELECT, CustomField.Type.MULTISELECT):
        options = _options(options)
        if not options:
            raise RecordValidationError({"options": _("Add at least one choice, one per line.")})
        field.options = options
    field.save()
    return field


def custom_field_delete(*, field: CustomField, actor) -> None:
    """Remove the definition and its values from every record."""
    from django.db.models import F
    from django.db.models.expressions import CombinedExpression, Value

    if not can(actor, "records.manage_fields"):
        raise RecordPermissionError()
    model = entity_model(field.entity)
    with transaction.atomic():
        model.objects.filter(custom__has_key=field.key).update(
            custom=CombinedExpression(F("custom"), "-", Value(field.key))
        )
        field.delete()


def saved_view_save(*, actor, entity: str, name: str, query: str, is_shared: bool = False, view: SavedView | None = None) -> SavedView:
    """Save a list's query string under a name; shared views need a manager."""
    if not can(actor, "records.manage_views"):
        raise RecordPermissionError()
    name = " ".join((name or "").split())[:80]
    if not name:
        raise RecordValidationError({"name": _("Enter a name for the view.")})
    if is_shared and not can(actor, "records.bulk_delete"):
        raise RecordPermissionError(_("Only owners, admins and managers can share views."))
    if view is not None and view.owner_id != actor.pk:
        raise RecordPermissionError()
    view = view or SavedView(owner=actor, entity=entity)
    view.name, view.query, view.is_shared = name, (query or "").lstrip("?")[:2000], is_shared
    view.save()
    return view


def saved_view_delete(*, view: SavedView, actor) -> None:
    if view.owner_id != actor.pk and not (view.is_shared and can(actor, "records.bulk_delete")):
        raise RecordPermissionError()
    view.delete()


def custom_fields_reorder(*, actor, entity: str, field_ids: list[int]) -> None:
    """Put the entity's fields in the given order (forms and detail pages follow it)."""
    if not can(actor, "records.manage_fields"):
        raise RecordPermissionError()
    current = list(CustomField.objects.filter(entity=entity).values_list("pk", flat=True))
    try:
        wanted = [int(i) for i in field_ids]
    except (TypeError, ValueError):
        wanted = []
    if sorted(current) != sorted(wanted):
        raise RecordValidationError({"fields": _("The list of fields is out of date; reload the page.")})
    with transaction.atomic():
        for position, pk in enumerate(wanted, start=1):
            CustomField.objects.filter(pk=pk).update(position=position)


def records_visibility_set(*, tenant, actor, sales_see_own_only: bool, request=None) -> None:
    """Whether sales reps see only the contacts, companies and deals they own."""
    from shared_apps.audit.models import EventKind
    from shared_apps.audit.services import security_event_record
    from tenants.hosts import host_cache_invalidate
    from tenants.models import Tenant

    if not can(actor, "workspace.change_settings"):
        raise RecordPermissionError()
    with transaction.atomic():
        Tenant.objects.filter(pk=tenant.pk).update(sales_see_own_only=sales_see_own_only)
        tenant.sales_see_own_only = sales_see_own_only
        security_event_record(
            kind=EventKind.VISIBILITY_CHANGED, request=request, actor=actor, tenant=tenant,
            sales_see_own_only=sales_see_own_only,
        )
        host_cache_invalidate(tenant=tenant)
