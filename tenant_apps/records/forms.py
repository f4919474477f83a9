"""Form pieces shared by the record forms: custom fields, owner, tags, and putting a
service's field errors back onto the form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .custom_fields import custom_fields_for
from .models import CustomField


def custom_form_fields(entity: str) -> dict:
    """Form fields for the entity's active custom fields, named cf_<key>."""
    fields = {}
    for cf in custom_fields_for(entity):
        name, common = f"cf_{cf.key}", {"label": cf.label, "required": cf.is_required}
        kind = cf.field_type
        if kind == CustomField.Type.SELECT:
            field = forms.ChoiceField(choices=[("", "—")] + [(o, o) for o in cf.options], **common)
        elif kind == CustomField.Type.MULTISELECT:
            field = forms.MultipleChoiceField(choices=[(o, o) for o in cf.options], widget=forms.CheckboxSelectMultiple, **common)
        elif kind == CustomField.Type.BOOLEAN:
            field = forms.ChoiceField(choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))], **common)
        elif kind == CustomField.Type.DATE:
            field = forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        elif kind == CustomField.Type.NUMBER:
            field = forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
        else:
            field = forms.CharField(max_length=2000, **common)
        fields[name] = field
    return fields


def custom_initial(record) -> dict:
    initial = {}
    for key, value in (record.custom or {}).items():
        if value is True or value is False:
            value = "true" if value else "false"
        initial[f"cf_{key}"] = value
    return initial


def custom_data(cleaned: dict) -> dict:
    """cf_<key> form values as the service's `custom` dict (empty clears)."""
    return {name[3:]: value for name, value in cleaned.items() if name.startswith("cf_")}


def member_choices(members, *, allow_empty=True):
    choices = [("", _("Nobody"))] if allow_empty else []
    return choices + [(str(m.user_id), m.user.display_name) for m in members]


def apply_service_errors(form, errors: dict, mapping: dict | None = None) -> None:
    """Show a RecordValidationError's field -> message on the matching form fields."""
    mapping = mapping or {}
    for key, message in errors.items():
        name = mapping.get(key, key)
        if name.startswith("custom."):
            name = "cf_" + name[len("custom."):]
        form.add_error(name if name in form.fields else None, message)


class CustomFieldForm(forms.Form):
    label = forms.CharField(label=_("Label"), max_length=80)
    field_type = forms.ChoiceField(label=_("Type"), choices=CustomField.Type.choices)
    key = forms.CharField(
        label=_("Key"), max_length=40, required=False,
        help_text=_("Used in imports, exports, list filters and the API. Left empty, it is made from the label."),
    )
    options = forms.CharField(
        label=_("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For choice fields: one choice per line."),
    )
    is_required = forms.BooleanField(label=_("Required"), required=False)


class CustomFieldEditForm(forms.Form):
    """Key and type stay as they were: values already stored depend on them."""

    label = forms.CharField(label=_("Label"), max_length=80)
    options = forms.CharField(
        label=_("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One choice per line. Records keep values of removed choices until they are edited."),
    )
    is_required = forms.BooleanField(label=_("Required"), required=False)
    is_active = forms.BooleanField(
        label=_("Active"), required=False,
        help_text=_("An inactive field is hidden from forms and pages; its values are kept."),
    )


class VisibilityForm(forms.Form):
    sales_see_own_only = forms.BooleanField(
        label=_("Sales reps see only their own records"), required=False,
        help_text=_(
            "With this on, members with the Sales role see only the contacts, companies and deals they own, "
            "and the tasks and timeline entries of those records. Other roles see everything."
        ),
    )
