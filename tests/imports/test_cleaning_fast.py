"""The import's fast paths give exactly what the services' cleaning gives: the cached
phone normaliser and the plain text fields' short cut past Field.clean()."""

import pytest
from django.core.exceptions import ValidationError

from tenant_apps.contacts.models import Contact
from tenant_apps.imports.cleaning import CleanRow, ContactCleaner
from tenant_apps.records.phones import phone_normalise, phone_normaliser

pytestmark = pytest.mark.django_db

PHONES = ["0888 123 456", "+359 888 123 456", "+44 20 7946 0958", "12", "abc", "0888 123 456", "12", "  +1 650 253 0000 ",
          "(02) 987 6543", "+359888123456", "0888-123-456 ext 12", ""]


def _outcome(normalise, raw):
    try:
        return normalise(raw)
    except ValidationError as exc:
        return ("error", exc.messages)


@pytest.mark.parametrize("region", ["BG", "US"])
def test_cached_phone_normaliser_gives_the_same_numbers_and_errors(region):
    cached = phone_normaliser(region)
    for _round in range(2):  # the second round comes from the cache
        for raw in PHONES:
            assert _outcome(cached, raw) == _outcome(lambda value: phone_normalise(value, region), raw), raw


def test_plain_fields_short_cut_gives_what_field_clean_gives(in_acme):
    cleaner = ContactCleaner({"0": "first_name"})
    values = ["Ivan", "x" * 100, "x" * 101, "x" * 150, "x" * 151, "a\x00b", "lead", "customer", "Customer", "Клиент",
              "nonsense", "x" * 5000]
    for name in ("first_name", "job_title", "description", "lifecycle_stage", "source", "website", "postal_code"):
        model_field = Contact._meta.get_field(name)
        for value in values:
            row = CleanRow(2, [])
            cleaner._plain(row, name, value)
            expected_value = cleaner.choices.get(name, {}).get(value.lower(), value)
            if name == "website" and "://" not in expected_value:
                expected_value = "https://" + expected_value
            try:
                expected = ("ok", model_field.clean(expected_value, None))
            except ValidationError as exc:
                expected = ("error", exc.messages[0])
            got = ("ok", row.values[name]) if name in row.values else ("error", row.errors[name])
            assert got == expected, (name, value)
