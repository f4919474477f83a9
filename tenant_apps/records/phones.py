"""Phone numbers in E.164, read in the workspace's country unless they say otherwise."""

import functools
import re

import phonenumbers
from phonenumbers import phonenumberutil
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


# Digits with spaces or hyphens between them, nothing else: phonenumbers reads such text
# by its digits alone (no "+", extension, letters, or second number can be in it).
_NATIONAL_DIGITS = re.compile(r"[0-9](?:[0-9 \-]*[0-9])?", re.ASCII)
_TOO_SHORT_OR_LOCAL = (phonenumberutil.ValidationResult.TOO_SHORT, phonenumberutil.ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
                       phonenumberutil.ValidationResult.INVALID_LENGTH)
_POSSIBLE = (phonenumberutil.ValidationResult.IS_POSSIBLE, phonenumberutil.ValidationResult.IS_POSSIBLE_LOCAL_ONLY)


def national_fast_path(region: str = DEFAULT_REGION):
    """f(text) -> the E.164 form of a number written in the region's national format
    ("0888 123 456"), or None when phone_normalise must decide (any other shape, a
    number that starts with an international or the country's calling code, or one that
    is not possible: the full parse raises the error then).

    The same steps as phonenumbers.parse, is_possible_number and format_number(E164)
    take for text of digits, spaces and hyphens (which they read by its digits alone),
    with the region's own national prefix, number pattern and lengths, minus the
    per-character Unicode normalising and pattern look-ups that make a parse cost ~40 µs.
    tests/imports/test_cleaning_fast.py compares the two over every region. Off (None
    for every text) when this phonenumbers lacks the length rule used here, the region
    is not its calling code's main one, or its prefix needs a transform rule."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region((region or DEFAULT_REGION).upper(), None)
    length_check = getattr(phonenumberutil, "_test_number_length", None)
    if (metadata is None or length_check is None or metadata.national_prefix_transform_rule
            or metadata.general_desc is None or not metadata.general_desc.national_number_pattern
            or phonenumbers.region_code_for_country_code(metadata.country_code) != metadata.id):
        return lambda text: None
    calling_code = str(metadata.country_code)
    international = re.compile(metadata.international_prefix or "NonMatch")
    prefix = re.compile(metadata.national_prefix_for_parsing) if metadata.national_prefix_for_parsing else None
    general = re.compile(metadata.general_desc.national_number_pattern)
    # For a number of unknown type the length rule depends on the length alone.
    length = {n: length_check("0" * n, metadata) for n in range(18)}

    def fast(text: str) -> str | None:
        if len(text) > 250 or not _NATIONAL_DIGITS.fullmatch(text):
            return None
        digits = text.replace(" ", "").replace("-", "")
        if len(digits) < 3 or international.match(digits) or digits.startswith(calling_code):
            return None
        national = digits
        found = prefix.match(digits) if prefix is not None else None
        if found:
            # The prefix goes unless the number fits the region's pattern only with it.
            stripped = digits[found.end():]
            if not (general.fullmatch(digits) and not general.fullmatch(stripped)):
                if length.get(len(stripped)) not in _TOO_SHORT_OR_LOCAL:
                    national = stripped
        if not 2 <= len(national) <= 17 or length[len(national)] not in _POSSIBLE:
            return None
        # phonenumbers keeps a national number's leading zeros: its digits are the NSN.
        return "+" + calling_code + national

    return fast


def phone_normaliser(region: str = DEFAULT_REGION, *, max_size: int = 200_000):
    """phone_normalise for one region, remembering each distinct raw value's result (or
    its error) for bulk work such as imports, where the same number comes again and again.
    Numbers in the region's plain national format take a fast path that gives the same.
    Kept for one job: the error messages are in the language of the moment."""
    results: dict[str, tuple[str, ValidationError | None]] = {}
    fast = national_fast_path(region)

    def normalise(raw: str) -> str:
        found = results.get(raw)
        if found is None:
            text = (raw or "").strip()
            number = fast(text) if text else None
            if number is not None:
                return number  # as cheap to compute again as to remember
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
