"""Numbers, money and dates in a document's language (Babel/CLDR), as the customer reads them:
en "€1,234.56", "Mar 5, 2026"; bg "1 234,56 €", "5.03.2026 г."."""

from datetime import date
from decimal import Decimal

from babel.dates import format_date as babel_date
from babel.numbers import format_currency, format_decimal

LOCALES = {"en": "en", "bg": "bg"}


def _locale(language: str) -> str:
    return LOCALES.get(language, "en")


def money(amount: Decimal | None, currency: str, language: str) -> str:
    if amount is None:
        return ""
    return format_currency(Decimal(amount), currency, locale=_locale(language))


def number(value: Decimal | None, language: str) -> str:
    """A quantity or a percentage without trailing zeros (12.500 → 12.5)."""
    if value is None:
        return ""
    return format_decimal(Decimal(value).normalize(), locale=_locale(language), decimal_quantization=False)


def day(value: date | None, language: str) -> str:
    if value is None:
        return ""
    return babel_date(value, "medium", locale=_locale(language))
