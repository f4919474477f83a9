"""What creating and changing any CRM record has in common."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import URLField
from django.utils.translation import gettext as _

from shared_apps.accounts.models import Membership

from .custom_fields import custom_values_clean


def _normalise_text(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(value.split()) if "\n" not in value else value.strip()
    return value


def resolve_member(value, *, errors: dict, field: str = "owner"):
    """A user who is a member of the current workspace, from a User, an id or None."""
    if value in (None, ""):
        return None
    user_id = getattr(value, "pk", value)
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        errors[field] = _("Choose a member of this workspace.")
        return None
    tenant = getattr(connection, "tenant", None)
    if not Membership.objects.filter(tenant_id=getattr(tenant, "pk", None), user_id=user_id).exists():
        errors[field] = _("Choose a member of this workspace.")
        return None
    return value if hasattr(value, "pk") else get_user_model().objects.get(pk=user_id)


def apply_fields(instance, data: dict, *, plain_fields, entity: str, errors: dict, set_later=()) -> None:
    """Copy the present keys of `data` onto `instance` (plain fields, owner, custom),
    collecting problems in `errors` (field -> message). Tags and related lists are the
    caller's, after validation; `set_later` names fields the caller fills in itself."""
    for name in plain_fields:
        if name in data:
            value = _normalise_text(data[name])
            field = instance._meta.get_field(name)
            if value == "" and field.null:
                value = None  # an emptied date or amount field
            if value and isinstance(field, URLField) and "://" not in value:
                value = "https://" + value  # people type "acme.example"
            setattr(instance, name, value)
    if "owner" in data:
        owner = resolve_member(data["owner"], errors=errors)
        if "owner" not in errors:
            instance.owner = owner
    if "custom" in data:
        raw = data["custom"]
        if not isinstance(raw, dict):
            errors["custom"] = _("Custom fields must be given as key and value.")
        else:
            values, custom_errors = custom_values_clean(entity, raw, current=instance.custom)
            instance.custom = values
            errors.update(custom_errors)
    exclude = [f.name for f in instance._meta.fields if f.name in errors or f.name in ("search", *set_later)]
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages[0])


def tags_from(data: dict):
    """The tag names in `data`, or None when tags are not being changed."""
    if "tags" not in data:
        return None
    raw = data["tags"]
    if isinstance(raw, str):
        raw = [part for part in raw.replace(";", ",").split(",")]
    return [getattr(t, "name", t) for t in (raw or [])]
