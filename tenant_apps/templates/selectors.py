"""Reads of a workspace's templates."""

from .catalogue import TemplateKey
from .defaults import Content, default_content
from .models import Template, TemplateVersion


def template_content(*, kind: str, name: str, language: str = "") -> Content:
    """The active content of a template: the newest saved version, else the built-in default."""
    version = (
        TemplateVersion.objects.filter(template__kind=kind, template__name=name, template__language=language)
        .order_by("-number").first()
    )
    if version is None:
        return default_content(kind, name, language)
    return _content(version)


def template_version_content(*, key: TemplateKey, number: int) -> Content | None:
    if number == 0:
        return default_content(key.kind, key.name, key.language)
    version = TemplateVersion.objects.filter(
        template__kind=key.kind, template__name=key.name, template__language=key.language, number=number
    ).first()
    return _content(version) if version else None


def template_versions(*, key: TemplateKey) -> list[TemplateVersion]:
    return list(
        TemplateVersion.objects.filter(template__kind=key.kind, template__name=key.name, template__language=key.language)
        .select_related("created_by").order_by("-number")
    )


def template_latest_numbers() -> dict[tuple[str, str, str], int]:
    """(kind, name, language) -> the active version number, for the templates list (one query)."""
    from django.db.models import Max

    rows = Template.objects.annotate(latest=Max("versions__number")).values_list("kind", "name", "language", "latest")
    return {(kind, name, language): latest or 0 for kind, name, language, latest in rows}


def _content(version: TemplateVersion) -> Content:
    return Content(number=version.number, subject=version.subject, html=version.html, css=version.css, text=version.text)
