"""Tags by name: found case-insensitively, made when new."""

from django.db.models.functions import Lower

from .models import Tag

MAX_TAG_LENGTH = 50


def tags_for_names(names) -> list[Tag]:
    """Tag rows for `names` (strings), creating the missing ones. Blank names are skipped;
    the first spelling of a name wins."""
    wanted = []
    seen = set()
    for name in names:
        name = " ".join(str(name).split())[:MAX_TAG_LENGTH]
        if name and name.lower() not in seen:
            seen.add(name.lower())
            wanted.append(name)
    if not wanted:
        return []
    existing = {t.name.lower(): t for t in Tag.objects.annotate(lname=Lower("name")).filter(lname__in=seen)}
    result = []
    for name in wanted:
        tag = existing.get(name.lower())
        if tag is None:
            tag, _created = Tag.objects.get_or_create(name=name)
        result.append(tag)
    return result
