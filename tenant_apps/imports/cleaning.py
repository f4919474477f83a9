"""Validating import rows with the same rules as the record services, but fast: one
cleaner per job holds what every row needs (field definitions, choice lookups, the phone
region), and each row goes through the services' own cleaning functions."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db.models import CharField, TextField, URLField
from django.utils import translation
from django.utils.translation import gettext as _

from tenant_apps.companies.models import Company
from tenant_apps.companies.services import PLAIN_FIELDS as COMPANY_FIELDS
from tenant_apps.contacts.models import Contact
from tenant_apps.contacts.services import PLAIN_FIELDS as CONTACT_FIELDS
from tenant_apps.contacts.services import emails_clean, phones_clean
from tenant_apps.deals.services import PLAIN_FIELDS as DEAL_FIELDS
from tenant_apps.records.custom_fields import custom_fields_for, custom_values_clean
from tenant_apps.records.domains import domain_from_website
from tenant_apps.records.phones import phone_normaliser
from tenant_apps.records.services import _normalise_text as text_normalise
from tenant_apps.records.services import tags_from


@dataclass(slots=True)
class CleanRow:
    number: int  # 1-based, the header being row 1 as a spreadsheet shows it
    cells: list
    values: dict = field(default_factory=dict)  # attname -> value (non-empty cells only)
    custom: dict = field(default_factory=dict)  # custom key -> raw cell
    emails: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    phones: list = field(default_factory=list)
    company_name: str = ""
    key: str = ""  # what finds an existing record: e-mail, "domain:...", "name:..."
    errors: dict = field(default_factory=dict)
    existing: int | None = None  # the id of the record the row updates
    contact_ids: list = field(default_factory=list)  # a deal's contacts
    new_id: int | None = None  # a new contact's id, once written (pipeline.py)


def _choice_lookup(model_field) -> dict:
    """'customer', 'Customer', 'Клиент' -> 'customer'."""
    lookup = {}
    for value, label in model_field.choices:
        lookup[str(value).lower()] = value
        for language in ("en", "bg"):
            with translation.override(language):
                lookup.setdefault(str(label).lower(), value)
    return lookup


def _plain_limit(model_field):
    """(max length, allowed values or None) when the field is a plain text field whose
    clean() only checks the length, NUL characters and the choices, so that a string
    within them is provably returned unchanged; None for every other field."""
    if type(model_field) not in (CharField, TextField) or model_field.null:
        return None
    if any(type(v) not in (MaxLengthValidator, ProhibitNullCharactersValidator) for v in model_field.validators):
        return None
    allowed = None
    if model_field.choices:
        allowed = frozenset(str(value) for value, _label in model_field.flatchoices)
        if any(not isinstance(value, str) for value, _label in model_field.flatchoices):
            return None
    return (model_field.max_length if model_field.max_length is not None else float("inf"), allowed)


class RowCleaner:
    entity = ""
    model = None
    plain_fields: tuple = ()

    def __init__(self, mapping: dict):
        from tenant_apps.workspace.selectors import workspace_phone_region

        self.region = workspace_phone_region()
        self.custom_fields = custom_fields_for(self.entity)
        self.columns = sorted(((int(i), key) for i, key in mapping.items()), key=lambda item: item[0])
        self.fields = {name: self.model._meta.get_field(name) for name in self.plain_fields}
        self.choices = {name: _choice_lookup(f) for name, f in self.fields.items() if f.choices}
        self.plain_limits = {name: _plain_limit(f) for name, f in self.fields.items()}
        # Plain text fields without choices or URL rules: their length and NUL check is all.
        self.simple = {name: limit[0] for name, limit in self.plain_limits.items()
                       if limit is not None and limit[1] is None and name not in self.choices
                       and not isinstance(self.fields[name], URLField)}
        self.phone = phone_normaliser(self.region)
        self.members = None  # e-mail -> user id, read when an owner column is mapped
        if any(key == "owner" for _index, key in self.columns):
            from django.db import connection

            from shared_apps.accounts.models import Membership

            members = Membership.objects.filter(tenant_id=connection.tenant.pk).values_list("user__email", "user_id")
            self.members = {email.lower(): user_id for email, user_id in members}

    def _common(self, row: CleanRow, key: str, raw: str) -> bool:
        """Owner and tags, the same for every record type; False for other keys."""
        if key == "owner":
            user_id = self.members.get(raw.strip().lower())
            if user_id is None:
                row.errors["owner"] = _("“%(value)s” is not a member of this workspace.") % {"value": raw}
            else:
                row.values["owner_id"] = user_id
            return True
        if key == "tags":
            row.tags.extend(tags_from({"tags": raw}))
            return True
        return False

    def _plain(self, row: CleanRow, name: str, raw: str) -> None:
        value = text_normalise(raw)
        if value == "":
            return
        model_field = self.fields[name]
        if name in self.choices:
            value = self.choices[name].get(value.lower(), value)
        if isinstance(model_field, URLField) and "://" not in value:
            value = "https://" + value  # as the services do: people type "acme.example"
        limit = self.plain_limits[name]
        if limit is not None and len(value) <= limit[0] and "\x00" not in value and (limit[1] is None or value in limit[1]):
            row.values[name] = value  # what model_field.clean returns for it (see _plain_limit)
            return
        try:
            row.values[name] = model_field.clean(value, None)
        except ValidationError as exc:
            row.errors[name] = exc.messages[0]

    def _custom(self, row: CleanRow, current: dict | None) -> dict:
        values, errors = custom_values_clean(self.entity, row.custom, current=current, fields=self.custom_fields)
        row.errors.update(errors)
        return values

    def custom_for(self, row: CleanRow, current: dict | None) -> dict:
        """The record's custom values after the row: validated against `current` (an
        existing record's values) so that a required field it already has passes."""
        return self._custom(row, current)


class ContactCleaner(RowCleaner):
    entity = "contact"
    model = Contact
    plain_fields = CONTACT_FIELDS

    def clean(self, number: int, cells: list) -> CleanRow:
        row = CleanRow(number, cells)
        emails, phones = [], []
        simple = self.simple
        width = len(cells)
        for index, key in self.columns:
            raw = cells[index] if index < width else ""
            if not raw:
                continue
            if key in simple:
                # What _plain does for such a field, inline: most cells of a file are these.
                value = " ".join(raw.split()) if "\n" not in raw else raw.strip()
                if value:
                    if len(value) <= simple[key] and "\x00" not in value:
                        row.values[key] = value
                    else:
                        self._plain(row, key, raw)
                continue
            if self._common(row, key, raw):
                continue
            if key == "emails":
                emails.append(raw)
            elif key == "phones":
                phones.append(raw)
            elif key == "company":
                name = " ".join(raw.split())
                if len(name) > 200:
                    row.errors["company"] = _("At most %(n)d characters.") % {"n": 200}
                row.company_name = name
            elif key == "full_name":
                first, _space, last = " ".join(raw.split()).partition(" ")
                for name, value in (("first_name", first), ("last_name", last)):
                    if value and name not in row.values:
                        self._plain(row, name, value)
            elif key.startswith("custom."):
                row.custom[key[7:]] = raw
            else:
                self._plain(row, key, raw)
        if emails:
            row.emails = emails_clean(",".join(emails), row.errors)
            if row.emails:
                row.key = row.emails[0]["email"]
                row.values["email"] = row.key
        if phones:
            row.phones = phones_clean(",".join(phones), row.errors, self.region, normalise=self.phone)
            if row.phones:
                row.values["phone"] = row.phones[0]["number"]
        if not (row.values.get("first_name") or row.values.get("last_name") or row.values.get("email")):
            row.errors.setdefault("first_name", _("Enter a name or an e-mail address."))
        return row


class CompanyCleaner(RowCleaner):
    entity = "company"
    model = Company
    plain_fields = (*COMPANY_FIELDS, "domain")

    def clean(self, number: int, cells: list) -> CleanRow:
        row = CleanRow(number, cells)
        for index, key in self.columns:
            raw = cells[index] if index < len(cells) else ""
            if not raw or self._common(row, key, raw):
                continue
            if key == "phone":
                try:
                    row.values["phone"] = self.phone(raw)
                except ValidationError as exc:
                    row.errors["phone"] = exc.messages[0]
            elif key == "email":
                self._plain(row, "email", raw.strip().lower())
            elif key == "domain":
                self._plain(row, "domain", raw.strip().lower())
            elif key.startswith("custom."):
                row.custom[key[7:]] = raw
            else:
                self._plain(row, key, raw)
        if "domain" not in row.values and row.values.get("website"):
            row.values["domain"] = domain_from_website(row.values["website"])
        if not (row.values.get("name") or "").strip():
            row.errors.setdefault("name", _("Enter the company's name."))
        if row.values.get("domain"):
            row.key = "domain:" + row.values["domain"]
        elif row.values.get("name"):
            row.key = "name:" + row.values["name"].lower()
        return row


CLEANERS = {"contact": ContactCleaner, "company": CompanyCleaner}


class DealCleaner(RowCleaner):
    """Deals are only created (they have nothing to be matched by), in an open stage: the
    one named, or the first of the pipeline named, or of the default pipeline."""

    entity = "deal"
    plain_fields = DEAL_FIELDS

    def __init__(self, mapping: dict):
        from tenant_apps.deals.models import Deal, Pipeline, Stage
        from tenant_apps.deals.services import pipeline_default
        from tenant_apps.workspace.selectors import workspace_profile

        self.model = Deal
        super().__init__(mapping)
        self.pipelines = {}
        for pk, name in Pipeline.objects.order_by("position", "pk").values_list("pk", "name"):
            self.pipelines.setdefault(name.lower(), (pk, name))
        default = pipeline_default()
        self.default_pipeline = default.pk if default else None
        self.stages, self.first_stage = {}, {}
        for pk, pipeline_id, name in (Stage.objects.filter(kind=Stage.Kind.OPEN).order_by("pipeline", "position", "pk")
                                      .values_list("pk", "pipeline_id", "name")):
            self.stages.setdefault((pipeline_id, name.lower()), pk)
            self.first_stage.setdefault(pipeline_id, pk)
        self.currency = workspace_profile().default_currency or "EUR"

    def clean(self, number: int, cells: list) -> CleanRow:
        row = CleanRow(number, cells)
        pipeline_id, stage_name = self.default_pipeline, ""
        for index, key in self.columns:
            raw = cells[index] if index < len(cells) else ""
            if not raw or self._common(row, key, raw):
                continue
            if key == "pipeline":
                found = self.pipelines.get(" ".join(raw.split()).lower())
                if found is None:
                    row.errors["pipeline"] = _("There is no pipeline “%(value)s”.") % {"value": raw}
                else:
                    pipeline_id = found[0]
            elif key == "stage":
                stage_name = raw
            elif key == "company":
                row.company_name = " ".join(raw.split())[:200]
            elif key == "contacts":
                row.emails.extend(item["email"] for item in emails_clean(raw, row.errors))
            elif key == "amount":
                text = raw.replace("\u00a0", "").replace(" ", "")
                self._plain(row, "amount", text.replace(",", ".") if "." not in text else text.replace(",", ""))
                if row.values.get("amount") is not None and row.values["amount"] < 0:
                    row.errors["amount"] = _("The amount cannot be negative.")
            elif key == "currency":
                currency = raw.strip().upper()
                if len(currency) != 3 or not currency.isalpha():
                    row.errors["currency"] = _("Use a three-letter currency code such as EUR.")
                row.values["currency"] = currency
            elif key.startswith("custom."):
                row.custom[key[7:]] = raw
            else:
                self._plain(row, key, raw)
        if "pipeline" not in row.errors:
            if stage_name:
                stage_id = self.stages.get((pipeline_id, " ".join(stage_name.split()).lower()))
                if stage_id is None:
                    row.errors["stage"] = _("“%(value)s” is not an open stage of this pipeline.") % {"value": stage_name}
            else:
                stage_id = self.first_stage.get(pipeline_id)
            row.values["pipeline_id"], row.values["stage_id"] = pipeline_id, stage_id
        row.values.setdefault("currency", self.currency)
        if not (row.values.get("title") or "").strip():
            row.errors.setdefault("title", _("Enter the deal's title."))
        return row


CLEANERS["deal"] = DealCleaner
