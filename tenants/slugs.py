"""Workspace slugs: the `acme` in acme.tessera.app, and the root of the schema name."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SLUG_MIN_LENGTH = 3
SLUG_MAX_LENGTH = 40
# Lower-case letters, digits and single hyphens between them (so no "xn--" punycode).
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Host names the platform keeps for itself or that would mislead users.
RESERVED_SLUGS = frozenset(
    """
    about accounts account admin administrator api app apps assets auth autoconfig
    autodiscover beta billing blog cdn checkout console dashboard demo dev docs download
    email files ftp git help helpdesk home imap img info internal login logout mail
    mailer media news ns1 ns2 oauth owner pop pop3 portal pricing public root sales
    security settings signin signup smtp sso staff stage staging static status store
    stripe support system template tenant tessera test tests webhook webhooks webmail
    www www1 www2
    """.split()
)


def normalise_slug(value: str) -> str:
    return (value or "").strip().lower()


def validate_slug(value: str) -> None:
    """Raise ValidationError (code invalid/reserved) unless `value` may name a workspace."""
    if not (SLUG_MIN_LENGTH <= len(value) <= SLUG_MAX_LENGTH) or not SLUG_PATTERN.match(value):
        raise ValidationError(
            _(
                "Use %(min)d to %(max)d lower-case letters, digits and hyphens; "
                "start and end with a letter or digit."
            ),
            code="invalid",
            params={"min": SLUG_MIN_LENGTH, "max": SLUG_MAX_LENGTH},
        )
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is reserved. Please choose another address."),
            code="reserved",
            params={"slug": value},
        )


def schema_name_for_slug(slug: str) -> str:
    """The PostgreSQL schema of a workspace: `t_` keeps clear of pg_* and reserved names."""
    return "t_" + slug.replace("-", "_")


def suggest_slug(company_name: str) -> str:
    """A slug guess from a company name (used to pre-fill the signup form)."""
    import unicodedata

    from django.utils.text import slugify

    ascii_name = unicodedata.normalize("NFKD", _transliterate(company_name))
    slug = slugify(ascii_name)[:SLUG_MAX_LENGTH].strip("-")
    return re.sub(r"-{2,}", "-", slug)


_CYRILLIC = dict(
    zip(
        "абвгдежзийклмнопрстуфхцчшщъьюя",
        "a b v g d e zh z i y k l m n o p r s t u f h ts ch sh sht a y yu ya".split(),
        strict=True,
    )
)


def _transliterate(value: str) -> str:
    # Bulgarian streamlined system, so that "Бистра ООД" suggests "bistra-ood".
    out = []
    for ch in value:
        low = ch.lower()
        out.append(_CYRILLIC.get(low, ch))
    return "".join(out)
