"""Bulk actions on the rows picked in a list: assign an owner, add a tag, change the
lifecycle stage or the deal stage, delete. Each record goes through its own service,
so permissions, validation and history are the same as one at a time; the whole batch
is one transaction (all or nothing)."""

from django.db import transaction
from django.utils.translation import gettext as _

from shared_apps.accounts.rules import can

from .errors import RecordPermissionError, RecordValidationError
from .models import entity_model
from .visibility import visible

MAX_BULK = 1000


def record_services(entity):
    """(update, delete) services of an entity."""
    if entity == "contact":
        from tenant_apps.contacts.services import contact_delete as delete, contact_update as update
    elif entity == "company":
        from tenant_apps.companies.services import company_delete as delete, company_update as update
    else:
        from tenant_apps.deals.services import deal_delete as delete, deal_update as update
    return update, delete


def _records(entity, ids, actor):
    model = entity_model(entity)
    try:
        ids = sorted({int(i) for i in ids})
    except (TypeError, ValueError) as exc:
        raise RecordValidationError({"ids": _("Pick the records again.")}) from exc
    if not ids:
        raise RecordValidationError({"ids": _("Pick at least one record.")})
    if len(ids) > MAX_BULK:
        raise RecordValidationError({"ids": _("At most %(n)d records at a time.") % {"n": MAX_BULK}})
    records = list(visible(model.objects.filter(pk__in=ids), actor).select_for_update().order_by("pk"))
    if len(records) != len(ids):
        raise RecordValidationError({"ids": _("Some of the records no longer exist or you cannot see them.")})
    return records


def records_bulk_change(*, entity: str, ids, actor, action: str, value) -> int:
    """Apply one change to every picked record; returns how many changed."""
    if not can(actor, "records.bulk_change"):
        raise RecordPermissionError()
    update, _delete = record_services(entity)
    with transaction.atomic():
        records = _records(entity, ids, actor)
        for record in records:
            if action == "owner":
                data = {"owner": value or None}
            elif action == "add_tag":
                if not (value or "").strip():
                    raise RecordValidationError({"value": _("Enter a tag.")})
                data = {"tags": [t.name for t in record.tags.all()] + [value]}
            elif action == "lifecycle_stage" and entity in ("contact", "company"):
                data = {"lifecycle_stage": value}
            elif action == "stage" and entity == "deal":
                data = {"stage": value}
            else:
                raise RecordValidationError({"action": _("Choose what to change.")})
            update(**{entity: record}, actor=actor, data=data, door="bulk")
    return len(records)


def records_bulk_delete(*, entity: str, ids, actor) -> int:
    if not can(actor, "records.bulk_delete"):
        raise RecordPermissionError()
    _update, delete = record_services(entity)
    with transaction.atomic():
        records = _records(entity, ids, actor)
        for record in records:
            delete(**{entity: record}, actor=actor, door="bulk")
    return len(records)
