"""Rendering a workspace's templates: e-mails (subject, HTML, text) and document HTML.

Callers build the context as plain data (see catalogue.py for its shape); anything broken
in a tenant's template surfaces as errors.TemplateError with a translated message."""

import html as html_lib
import re

from .catalogue import EMAIL_PURPOSES, LANGUAGE_CODES
from .defaults import Content
from .models import TemplateKind
from .sandbox import render
from .selectors import template_content

EMAIL_SHELL = (
    '<!doctype html><html lang="{language}"><head><meta charset="utf-8"></head>'
    '<body style="font-family: -apple-system, Segoe UI, Helvetica, Arial, sans-serif; font-size: 15px; '
    'line-height: 1.5; color: #1f2937;">{body}</body></html>'
)


def _email_language(language: str) -> str:
    return language if language in LANGUAGE_CODES else "en"


# Every documented variable exists in every render (StrictUndefined would fail on a
# missing one): what the caller leaves out is empty.
EMAIL_CONTEXT_DEFAULTS = {
    "document": dict.fromkeys(("number", "kind", "total", "balance", "currency", "issue_date", "due_date",
                               "valid_until"), ""),
    "customer": dict.fromkeys(("name", "contact_name", "email"), ""),
    "seller": dict.fromkeys(("name", "email", "phone", "website"), ""),
    "sender_name": "",
    "message": "",
    "days_overdue": None,
    "pdf_attached": False,
}


def email_context(context: dict) -> dict:
    merged = {}
    for key, default in EMAIL_CONTEXT_DEFAULTS.items():
        value = context.get(key)
        if isinstance(default, dict):
            merged[key] = {**default, **{k: v for k, v in (value or {}).items() if v is not None}}
        else:
            merged[key] = default if value is None else value
    return {**context, **merged}


def render_email(*, purpose: str, language: str, context: dict) -> tuple[str, str, str]:
    """(subject, html, text) of the workspace's e-mail template for `purpose` in `language`.
    Raises TemplateError when the workspace's template cannot be rendered."""
    if purpose not in dict(EMAIL_PURPOSES):
        raise ValueError(f"unknown e-mail purpose {purpose!r}")
    language = _email_language(language)
    content = template_content(kind=TemplateKind.EMAIL, name=purpose, language=language)
    return render_email_content(content, language=language, context=email_context(context))


def render_email_content(content: Content, *, language: str, context: dict) -> tuple[str, str, str]:
    subject = render(content.subject, context, part="subject", autoescape=False)
    # A subject is one header line: a newline in a value must not start another header.
    subject = " ".join(subject.split())
    body = render(content.html, context, part="html")
    text = render(content.text, context, part="text", autoescape=False) if content.text.strip() else html_to_text(body)
    return subject, EMAIL_SHELL.format(language=language, body=body), text.strip() + "\n"


_BREAKS = re.compile(r"<br\s*/?>", re.I)
_BLOCK_ENDS = re.compile(r"</(p|div|h[1-6]|li|tr|table|ul|ol)\s*>", re.I)
_LINKS = re.compile(r"<a\s[^>]*href=\"([^\"]*)\"[^>]*>(.*?)</a>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")


def html_to_text(body: str) -> str:
    """The plain-text part of an e-mail from its HTML: paragraphs and line breaks kept,
    links written out as "text (address)"."""
    text = _LINKS.sub(lambda m: m.group(2) if m.group(1) in m.group(2) else f"{m.group(2)} ({m.group(1)})", body)
    # Newlines in HTML source are spaces; only <br> and block ends break lines.
    text = _BREAKS.sub("\n", " ".join(text.split()))
    text = _BLOCK_ENDS.sub("\n\n", text)
    text = html_lib.unescape(_TAGS.sub("", text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def render_document_html(content: Content, *, context: dict) -> str:
    """The HTML of a document template; its stylesheet goes in with the layout's own."""
    return render(content.html, context, part="html")
