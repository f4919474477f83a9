"""Document numbers from a per-tenant format, gapless and safe under concurrency.

A format holds exactly one counter token — `{0000}` (zero-padded to as many digits as
zeros) or `{N}` — and may hold `{YYYY}`, `{YY}` and `{MM}`. A format with a year
counts per year (the counter starts at 1 every January); a format with a month too counts
per month. The counter row is locked (SELECT … FOR UPDATE) inside the transaction that
issues the document, so a rolled-back issue gives its number back and two concurrent
issues wait for each other: no gaps, no duplicates.
"""

import re
from datetime import date

from django.db import connection, transaction

from .errors import SalesError
from .models import NumberSequence

COUNTER = re.compile(r"\{(0+|N)\}")
TOKEN = re.compile(r"\{([^{}]*)\}")
KNOWN = {"YYYY", "YY", "MM"}


def number_format_validate(fmt: str) -> str:
    """The format, stripped, or SalesError(number_format_invalid)."""
    fmt = (fmt or "").strip()
    counters = COUNTER.findall(fmt)
    unknown = [t for t in TOKEN.findall(fmt) if t not in KNOWN and not COUNTER.fullmatch("{" + t + "}")]
    if len(counters) != 1 or unknown or len(fmt) > 40:
        raise SalesError("number_format_invalid")
    if not re.fullmatch(r"[\w\-/.{}# ]+", fmt):
        raise SalesError("number_format_invalid")
    return fmt


def _period(fmt: str, on: date) -> str:
    if "{MM}" in fmt and ("{YYYY}" in fmt or "{YY}" in fmt):
        return f"{on.year:04d}{on.month:02d}"
    if "{YYYY}" in fmt or "{YY}" in fmt:
        return f"{on.year:04d}"
    return ""


def number_render(fmt: str, value: int, on: date) -> str:
    def counter(match):
        token = match.group(1)
        return str(value) if token == "N" else str(value).zfill(len(token))

    text = COUNTER.sub(counter, fmt)
    return text.replace("{YYYY}", f"{on.year:04d}").replace("{YY}", f"{on.year % 100:02d}").replace("{MM}", f"{on.month:02d}")


def number_next(*, kind: str, fmt: str, on: date) -> str:
    """The next number of `kind` for a document dated `on`. Call inside the issuing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_next must run inside the transaction that issues the document")
    period = _period(fmt, on)
    table = connection.ops.quote_name(NumberSequence._meta.db_table)
    with connection.cursor() as cursor:
        # One statement creates the row on first use and takes its lock in every case.
        cursor.execute(
            f"INSERT INTO {table} (kind, period, last_value) VALUES (%s, %s, 1) "
            f"ON CONFLICT (kind, period) DO UPDATE SET last_value = {table}.last_value + 1 "
            "RETURNING last_value",
            [kind, period],
        )
        value = cursor.fetchone()[0]
    return number_render(fmt, value, on)
