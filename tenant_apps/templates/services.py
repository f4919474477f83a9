"""Writes of a workspace's templates: save a new version, revert to an older one.

A template is rendered with sample data before it is saved: a broken one is refused
with the line of the error and never becomes active."""

from django.db import transaction
from django.db.models import Max

from shared_apps.accounts.errors import PermissionDeniedError
from shared_apps.accounts.rules import can

from .catalogue import LANGUAGE_CODES, TemplateKey, email_sample_context
from .defaults import Content
from .errors import TemplateError
from .models import Template, TemplateKind, TemplateVersion
from .rendering import render_document_html, render_email_content
from .sandbox import MAX_SOURCE
from .selectors import template_version_content

DOCUMENT_SAMPLE_KINDS = ("offer", "invoice", "credit_note")


def template_check(*, key: TemplateKey, content: Content) -> None:
    """Render `content` with every kind of sample it will meet; raises TemplateError."""
    if key.kind == TemplateKind.EMAIL:
        if not content.subject.strip():
            raise TemplateError("subject_required", part="subject")
        for message in ("", "A message\nover two lines"):
            context = email_sample_context(key.name, key.language) | {"message": message}
            render_email_content(content, language=key.language, context=context)
        return
    if "</" in content.css:
        raise TemplateError("css_invalid", part="css")
    if len(content.css.encode()) > MAX_SOURCE:
        raise TemplateError("too_large", part="css", limit=MAX_SOURCE // 1024)
    from tenant_apps.sales.pdf import document_sample_context

    for kind in DOCUMENT_SAMPLE_KINDS:
        for language in LANGUAGE_CODES:
            render_document_html(content, context=document_sample_context(kind, language))
        # Real documents are sparser than the samples (no taxes, one line, no address): a
        # template that only works on a full one would fail later, on sending or in a reminder.
        render_document_html(content, context=document_sample_context(kind, "en", bare=True))


def _require(actor) -> None:
    if not can(actor, "doc_templates.edit"):
        raise PermissionDeniedError()


def _new_version(*, key: TemplateKey, content: Content, actor, reverted_from: int | None = None) -> TemplateVersion:
    with transaction.atomic():
        template, _created = Template.objects.get_or_create(kind=key.kind, name=key.name, language=key.language)
        # The row lock serialises two editors saving at once: version numbers never collide.
        template = Template.objects.select_for_update().get(pk=template.pk)
        last = template.versions.aggregate(last=Max("number"))["last"] or 0
        version = TemplateVersion.objects.create(
            template=template, number=last + 1, subject=content.subject.strip(), html=content.html,
            css=content.css, text=content.text, reverted_from=reverted_from, created_by=actor,
        )
        template.save(update_fields=["updated_at"])
    return version


def template_save(*, key: TemplateKey, subject: str = "", html: str, css: str = "", text: str = "",
                  actor) -> TemplateVersion:
    """Save a new active version of a template after rendering it with sample data."""
    _require(actor)
    if key.kind == TemplateKind.DOCUMENT:
        subject, text = "", ""
    else:
        css = ""
    content = Content(number=0, subject=subject, html=html, css=css, text=text)
    template_check(key=key, content=content)
    return _new_version(key=key, content=content, actor=actor)


def template_revert(*, key: TemplateKey, number: int, actor) -> TemplateVersion:
    """Make an older version (0: the built-in default) active again, as a new version."""
    _require(actor)
    content = template_version_content(key=key, number=number)
    if content is None:
        raise TemplateError("version_unknown")
    # Checked again: variables may have changed since that version was written.
    template_check(key=key, content=content)
    return _new_version(key=key, content=content, actor=actor, reverted_from=number)
