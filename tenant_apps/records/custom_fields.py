"""Custom field values: definitions live in CustomField rows, values in each record's
`custom` JSONB, keyed by the field's key. Values are stored in JSON-native form:
text/url/select as strings, number as a number, date as "YYYY-MM-DD", boolean as
true/false, multi-select as a list of strings."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from .models import CustomField

MAX_TEXT = 2000
MAX_NUMBER = Decimal("1e300")


def custom_fields_for(entity: str, *, active_only=True) -> list[CustomField]:
    qs = CustomField.objects.filter(entity=entity)
    if active_only:
        qs = qs.filter(is_active=True)
    return list(qs.order_by("position", "pk"))


def _clean_one(field: CustomField, raw):
    """The JSON value for `raw` (str from a form or CSV, or a JSON value from the API);
    None for empty. Raises ValidationError."""
    if raw is None or raw == "" or raw == []:
        return None
    kind = field.field_type
    if kind in (CustomField.Type.TEXT,):
        value = str(raw).strip()
        if len(value) > MAX_TEXT:
            raise ValidationError(_("At most %(n)d characters.") % {"n": MAX_TEXT})
        return value or None
    if kind == CustomField.Type.URL:
        value = str(raw).strip()
        if "://" not in value:
            value = "https://" + value
        try:
            URLValidator()(value)
        except ValidationError as exc:
            raise ValidationError(_("Enter a valid link.")) from exc
        return value
    if kind == CustomField.Type.NUMBER:
        if isinstance(raw, bool):
            raise ValidationError(_("Enter a number."))
        try:
            number = Decimal(str(raw).strip().replace(" ", "").replace(",", "."))
        except InvalidOperation as exc:
            raise ValidationError(_("Enter a number.")) from exc
        if not number.is_finite() or abs(number) > MAX_NUMBER:
            raise ValidationError(_("Enter a number."))  # JSON (and PostgreSQL's jsonb) has no infinity
        return int(number) if number == number.to_integral_value() and abs(number) < 2**53 else float(number)
    if kind == CustomField.Type.DATE:
        if isinstance(raw, datetime.date):
            return raw.isoformat()
        text = str(raw).strip()
        for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
            try:
                return datetime.datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
        raise ValidationError(_("Enter a date as YYYY-MM-DD."))
    if kind == CustomField.Type.BOOLEAN:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "y", "on", "да"):
            return True
        if text in ("0", "false", "no", "n", "off", "не"):
            return False
        raise ValidationError(_("Enter yes or no."))
    if kind == CustomField.Type.SELECT:
        value = str(raw).strip()
        if value not in field.options:
            raise ValidationError(_("“%(value)s” is not one of the choices.") % {"value": value})
        return value
    if kind == CustomField.Type.MULTISELECT:
        values = raw if isinstance(raw, list | tuple) else [v.strip() for v in str(raw).split(";") if v.strip()]
        values = [str(v).strip() for v in values]
        unknown = [v for v in values if v not in field.options]
        if unknown:
            raise ValidationError(_("“%(value)s” is not one of the choices.") % {"value": unknown[0]})
        return [o for o in field.options if o in values] or None
    raise ValidationError(_("Unknown field type."))


def custom_values_clean(entity: str, raw: dict, *, current: dict | None = None, fields=None) -> tuple[dict, dict]:
    """Merge `raw` (key -> value) into `current` and validate against the entity's active
    fields. Returns (values, errors) where errors maps "custom.<key>" to a message.
    Unknown keys are errors; values of inactive fields are kept untouched."""
    fields = fields if fields is not None else custom_fields_for(entity)
    by_key = {f.key: f for f in fields}
    values = dict(current or {})
    errors = {}
    for key, value in raw.items():
        field = by_key.get(key)
        if field is None:
            errors[f"custom.{key}"] = _("There is no custom field “%(key)s”.") % {"key": key}
            continue
        try:
            cleaned = _clean_one(field, value)
        except ValidationError as exc:
            errors[f"custom.{key}"] = exc.messages[0]
            continue
        if cleaned is None:
            values.pop(key, None)
        else:
            values[key] = cleaned
    for field in fields:
        if field.is_required and values.get(field.key) in (None, "", []):
            errors.setdefault(f"custom.{field.key}", _("This field is required."))
    return values, errors


def custom_value_display(field: CustomField, value) -> str:
    if value is None or value == "" or value == []:
        return ""
    if field.field_type == CustomField.Type.BOOLEAN:
        return _("Yes") if value else _("No")
    if field.field_type == CustomField.Type.MULTISELECT:
        return ", ".join(value)
    return str(value)
