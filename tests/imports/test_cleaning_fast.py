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


def _random_national_texts(rng, region, count):
    """Digit strings in every shape the fast path takes (and some it must hand over):
    the region's national prefix, its calling code, an international prefix, 1-17 digits,
    with spaces and hyphens between the digits."""
    import phonenumbers

    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    starts = ["", "0", "00", "1", "8", "9", str(metadata.country_code), metadata.national_prefix or ""]
    for _i in range(count):
        digits = rng.choice(starts) + "".join(rng.choice("0123456789") for _j in range(rng.randint(0, 15)))
        yield "".join(d + (rng.choice(["", "", " ", "-", "  "]) if i < len(digits) - 1 else "")
                      for i, d in enumerate(digits))


def test_phone_fast_path_gives_what_phonenumbers_gives_in_every_region():
    # given every region phonenumbers knows, and random national-looking numbers
    import random

    import phonenumbers

    from tenant_apps.records.phones import national_fast_path

    rng = random.Random(3)
    taken = 0
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        fast = national_fast_path(region)
        for text in _random_national_texts(rng, region, 150):
            # when the fast path answers
            got = fast(text)
            if got is None:
                continue  # phone_normalise decides
            taken += 1
            # then it is what the full parse gives (never a number the parse refuses)
            assert got == _outcome(lambda value, r=region: phone_normalise(value, r), text), (region, text)
    assert taken > 3000  # the fast path is really taken


def test_phone_fast_path_takes_the_usual_bulgarian_shapes_and_hands_over_the_rest():
    from tenant_apps.records.phones import national_fast_path

    fast = national_fast_path("BG")
    assert fast("0888 123 456") == fast("0888-123-456") == fast("0888123456") == "+359888123456"
    assert fast("02 987 6543") == "+35929876543"
    for text in ("+359 888 123 456", "00359888123456", "359888123456", "(02) 987 6543", "0888 123 456 ext 12",
                 "12", "abc", "٠٨٨٨١٢٣٤٥٦"):
        assert fast(text) is None, text


@pytest.mark.parametrize("region", ["BG", "US", "GB", "DE", "IT", "AR", "MX"])
def test_cached_phone_normaliser_matches_on_random_national_numbers(region):
    import random

    cached = phone_normaliser(region)
    for text in _random_national_texts(random.Random(region), region, 400):
        assert _outcome(cached, text) == _outcome(lambda value: phone_normalise(value, region), text), text


def test_email_fast_path_accepts_only_what_validate_email_accepts():
    # given random strings near the shape of an address
    import random

    from django.core.validators import validate_email

    from tenant_apps.contacts.services import _PLAIN_EMAIL

    rng = random.Random(4)
    alphabet = "ab-._@+!xZ09é'\"Kſ\n [].-"
    ends = ["", "@example.com", "@a.b", "@x-y.co", "@-a.com", "@a-.com", "@a..com", ".@b.cc", "@b.c-", "@b.-cc", "@bg"]
    matched = 0
    for _i in range(50_000):
        text = "".join(rng.choice(alphabet) for _j in range(rng.randint(1, 14))) + rng.choice(ends)
        if _PLAIN_EMAIL.fullmatch(text):
            matched += 1
            validate_email(text)  # then Django accepts it too (raises otherwise)
    assert matched > 200


@pytest.mark.parametrize("raw", ["Ivan@Example.com", "  ivan@example.com ", "ivan@", "ivan", "", "   ", "ivan@exa mple.com",
                                 "івan@example.com", "ivan@пример.бг", "ivan@example.com, maria@example.com",
                                 "ivan@example.com; ivan@example.com", "a@b.c"])
def test_one_address_short_cut_gives_what_the_general_path_gives(raw):
    from tenant_apps.contacts import services

    errors, expected_errors = {}, {}
    got = services.emails_clean(raw, errors)
    expected = services.emails_clean(raw.replace(";", ",").split(","), expected_errors)  # a list: the general path
    assert (got, errors) == (expected, expected_errors)


@pytest.mark.parametrize("raw", ["0888 123 456", " +359 888 123 456 ", "12", "abc", "", "  ", "0888 123 456; 02 987 6543"])
def test_one_number_short_cut_gives_what_the_general_path_gives(raw):
    from tenant_apps.contacts import services

    errors, expected_errors = {}, {}
    got = services.phones_clean(raw, errors, "BG")
    expected = services.phones_clean(raw.replace(";", ",").split(","), expected_errors, "BG")
    assert (got, errors) == (expected, expected_errors)
