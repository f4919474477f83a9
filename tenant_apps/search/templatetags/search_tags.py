"""Marking the words of a search in a hit, safely: the text is split on the matches and
every piece escaped, so nothing a record holds can become markup."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from tenant_apps.records.listing import _TOKEN

register = template.Library()


def highlight_html(text, query) -> str:
    """`text` escaped, with every word that starts like a word of `query` in <mark>."""
    text = "" if text is None else str(text)
    tokens = sorted({t.strip(".-+") for t in _TOKEN.findall(query or "")} - {""}, key=len, reverse=True)
    if not tokens or not text:
        return escape(text)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in tokens) + ")", re.IGNORECASE | re.UNICODE)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return "".join(pieces)


@register.filter
def highlight(text, query):
    return mark_safe(highlight_html(text, query))  # noqa: S308 - every piece is escaped above
