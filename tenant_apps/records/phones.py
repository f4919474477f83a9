"""Phone numbers in E.164, read in the workspace's country unless they say otherwise."""

import functools

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_REGION = "BG"


def phone_normalise(raw: str, region: str = DEFAULT_REGION) -> str:
    """'+359 888 123 456', '0888 123456' (in BG) -> '+359888123456'; ValidationError if
    it cannot be a phone number."""
    text = (raw or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, region or DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("“%(value)s” is not a phone number.") % {"value": text}) from exc
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(_("“%(value)s” is not a phone number.") % {"value": text})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_normaliser(region: str = DEFAULT_REGION, *, max_size: int = 200_000):
    """phone_normalise for one region, remembering each distinct raw value's result (or
    its error) for bulk work such as imports, where the same number comes again and again.
    Kept for one job: the error messages are in the language of the moment."""
    results: dict[str, tuple[str, ValidationError | None]] = {}

    def normalise(raw: str) -> str:
        found = results.get(raw)
        if found is None:
            try:
                found = (phone_normalise(raw, region), None)
            except ValidationError as exc:
                found = ("", exc)
            if len(results) < max_size:
                results[raw] = found
        if found[1] is not None:
            raise ValidationError(found[1].messages)
        return found[0]

    return normalise


@functools.lru_cache(maxsize=8192)
def phone_display(e164: str) -> str:
    """'+359888123456' -> '+359 88 812 3456'. Cached: parsing costs ~0.2 ms, and a list
    page shows fifty numbers (the result depends on the number alone)."""
    if not e164:
        return ""
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164, None), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164
