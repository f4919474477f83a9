"""Which column of the file fills which field: the targets per record type, guesses from
the header (English and Bulgarian names, custom fields by key or label), and the check
of a mapping someone chose."""

import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tenant_apps.records.custom_fields import custom_fields_for

from .errors import ImportMappingError


@dataclass(frozen=True)
class Target:
    key: str
    label: object
    aliases: tuple = ()
    # Several columns may feed it (e-mail 1, e-mail 2...).
    many: bool = False


# Columns that contacts and companies share: the address, and what every record has.
ADDRESS_TARGETS = (
    Target("address_line1", gettext_lazy("Address"), ("address", "street", "address line 1", "адрес", "улица")),
    Target("address_line2", gettext_lazy("Address (line 2)"), ("address 2", "address line 2", "адрес 2")),
    Target("postal_code", gettext_lazy("Postal code"), ("postal code", "postcode", "zip", "zip code", "пощенски код", "пк")),
    Target("city", gettext_lazy("City"), ("city", "town", "град", "населено място")),
    Target("region", gettext_lazy("Region"), ("region", "state", "province", "county", "област", "регион")),
    Target("country", gettext_lazy("Country"), ("country", "държава", "страна")),
)
RECORD_TARGETS = (
    Target("lifecycle_stage", gettext_lazy("Lifecycle stage"), ("lifecycle stage", "stage", "lifecycle", "етап")),
    Target("source", gettext_lazy("Source"), ("source", "lead source", "източник")),
    Target("owner", gettext_lazy("Owner (e-mail of a member)"), ("owner", "owner email", "owner e mail", "собственик", "отговорник")),
    Target("tags", gettext_lazy("Tags (separated by commas)"), ("tags", "tag", "labels", "етикети", "етикет", "тагове")),
)


CONTACT_TARGETS = (
    Target("first_name", gettext_lazy("First name"), ("first name", "firstname", "given name", "име", "собствено име", "първо име")),
    Target("last_name", gettext_lazy("Last name"), ("last name", "lastname", "surname", "family name", "фамилия", "фамилно име")),
    Target("full_name", gettext_lazy("Full name (split into first and last)"), ("name", "full name", "contact", "contact name", "име и фамилия", "пълно име", "лице", "лице за контакт")),
    Target("job_title", gettext_lazy("Job title"), ("job title", "title", "position", "role", "длъжност", "позиция")),
    Target("emails", gettext_lazy("E-mail"), ("email", "e mail", "email address", "e mail address", "emails", "other emails", "work email", "personal email", "email 2", "имейл", "имейл адрес", "е поща", "ел поща", "електронна поща", "мейл"), many=True),
    Target("phones", gettext_lazy("Phone"), ("phone", "phones", "telephone", "mobile", "mobile phone", "phone number", "work phone", "gsm", "телефон", "тел", "мобилен", "мобилен телефон", "телефонен номер"), many=True),
    Target("company", gettext_lazy("Company (by name, created when new)"), ("company", "company name", "organization", "organisation", "account", "employer", "фирма", "компания", "организация", "работодател")),
    Target("website", gettext_lazy("Website"), ("website", "web site", "web", "url", "homepage", "уебсайт", "сайт", "уеб сайт")),
    *ADDRESS_TARGETS,
    Target("description", gettext_lazy("About"), ("description", "about", "notes", "note", "описание", "бележки", "бележка")),
    *RECORD_TARGETS,
)

COMPANY_TARGETS = (
    Target("name", gettext_lazy("Name"), ("name", "company", "company name", "organization", "organisation", "account", "име", "фирма", "компания", "наименование", "име на фирмата", "организация")),
    Target("domain", gettext_lazy("Domain"), ("domain", "домейн")),
    Target("website", gettext_lazy("Website"), ("website", "web site", "web", "url", "homepage", "уебсайт", "сайт", "уеб сайт")),
    Target("email", gettext_lazy("E-mail"), ("email", "e mail", "email address", "имейл", "е поща", "ел поща", "електронна поща")),
    Target("phone", gettext_lazy("Phone"), ("phone", "telephone", "phone number", "телефон", "тел")),
    Target("industry", gettext_lazy("Industry"), ("industry", "sector", "индустрия", "отрасъл", "бранш", "сектор")),
    Target("size", gettext_lazy("Size"), ("size", "employees", "company size", "размер", "служители", "брой служители")),
    Target("tax_id", gettext_lazy("Tax / VAT number"), ("tax id", "vat", "vat number", "vat id", "eik", "еик", "булстат", "ддс номер", "данъчен номер", "идентификационен номер")),
    *ADDRESS_TARGETS,
    Target("description", gettext_lazy("Description"), ("description", "about", "notes", "описание", "бележки")),
    *RECORD_TARGETS,
)

DEAL_TARGETS = (
    Target("title", gettext_lazy("Title"), ("title", "deal", "deal name", "deal title", "name", "заглавие", "сделка", "име на сделката", "наименование")),
    Target("amount", gettext_lazy("Amount"), ("amount", "value", "deal value", "сума", "стойност")),
    Target("currency", gettext_lazy("Currency"), ("currency", "валута")),
    Target("expected_close_date", gettext_lazy("Expected close date"), ("expected close date", "close date", "closing date", "очаквана дата на приключване", "дата на приключване")),
    Target("pipeline", gettext_lazy("Pipeline (by name)"), ("pipeline", "фуния")),
    Target("stage", gettext_lazy("Stage (an open stage, by name)"), ("stage", "deal stage", "етап")),
    Target("company", gettext_lazy("Company (by name, created when new)"), ("company", "company name", "organization", "organisation", "account", "фирма", "компания", "организация")),
    Target("contacts", gettext_lazy("Contact (by e-mail)"), ("contact", "contacts", "contact email", "contact e mail", "email", "e mail", "контакт", "контакти", "имейл", "имейл на контакта"), many=True),
    Target("description", gettext_lazy("Description"), ("description", "notes", "описание", "бележки")),
    Target("owner", gettext_lazy("Owner (e-mail of a member)"), ("owner", "owner email", "owner e mail", "собственик", "отговорник")),
    Target("tags", gettext_lazy("Tags (separated by commas)"), ("tags", "tag", "labels", "етикети", "етикет", "тагове")),
)

BUILT_IN = {"contact": CONTACT_TARGETS, "company": COMPANY_TARGETS, "deal": DEAL_TARGETS}
# At least one of these must be mapped for a row to be able to pass.
REQUIRED = {"contact": ("first_name", "last_name", "full_name", "emails"), "company": ("name",), "deal": ("title",)}


def header_normalise(text: str) -> str:
    """'E-mail Address:' -> 'e mail address', 'Ел. поща' -> 'ел поща'."""
    return " ".join(re.sub(r"[^\w]+", " ", (text or "").lower().replace("_", " ")).split())


def targets_for(entity: str, *, custom_fields=None) -> list[Target]:
    """The built-in targets of a record type, then its active custom fields."""
    fields = custom_fields if custom_fields is not None else custom_fields_for(entity)
    return [*BUILT_IN[entity], *(Target(f"custom.{f.key}", f.label, (f.key, f.label)) for f in fields)]


def mapping_guess(entity: str, headers: list[str], *, custom_fields=None) -> dict[str, str]:
    """Column index (str) -> target key for the headers that look like a known field."""
    targets = targets_for(entity, custom_fields=custom_fields)
    lookup: dict[str, str] = {}
    for target in targets:
        names = [*target.aliases, target.key.replace("_", " ")]
        for language in ("en", "bg"):
            with translation.override(language):
                names.append(str(target.label))
        for name in names:
            lookup.setdefault(header_normalise(name), target.key)
    guess, used = {}, set()
    for index, header in enumerate(headers):
        key = lookup.get(header_normalise(header))
        if key is None:
            # "E-mail 2", "Phone (work)": a numbered or qualified column of a list target.
            stem = re.sub(r"\s*\d+$", "", header_normalise(header))
            key = lookup.get(stem)
            if key is None or not next(t for t in targets if t.key == key).many:
                continue
        target = next(t for t in targets if t.key == key)
        if key in used and not target.many:
            continue
        used.add(key)
        guess[str(index)] = key
    return guess


def mapping_clean(entity: str, headers: list[str], raw: dict, *, custom_fields=None) -> dict[str, str]:
    """A mapping someone chose (column index -> target key or ""), checked: known
    targets, each single target once, a column that identifies the record present."""
    targets = {t.key: t for t in targets_for(entity, custom_fields=custom_fields)}
    mapping, used = {}, {}
    for index, key in (raw or {}).items():
        if not key:
            continue
        try:
            position = int(index)
        except (TypeError, ValueError) as exc:
            raise ImportMappingError(_("Column “%(column)s” is not in the file.") % {"column": index}) from exc
        if not 0 <= position < len(headers):
            raise ImportMappingError(_("Column “%(column)s” is not in the file.") % {"column": index})
        target = targets.get(key)
        if target is None:
            raise ImportMappingError(_("“%(field)s” is not a field you can import into.") % {"field": key})
        if key in used and not target.many:
            raise ImportMappingError(
                _("“%(field)s” is chosen for two columns: “%(first)s” and “%(second)s”.")
                % {"field": target.label, "first": headers[used[key]], "second": headers[position]}
            )
        used.setdefault(key, position)
        mapping[str(position)] = key
    if not set(mapping.values()) & set(REQUIRED[entity]):
        names = ", ".join(str(targets[k].label) for k in REQUIRED[entity])
        raise ImportMappingError(
            _("A required column is missing: map a column to one of %(fields)s.") % {"fields": names}
        )
    return mapping
