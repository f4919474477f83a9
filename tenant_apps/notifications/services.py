"""Writing in-app notifications: create one for a member, mark them read."""

from django.db import transaction
from django.utils import timezone

from .models import Notification

TITLE_MAX = Notification._meta.get_field("title").max_length
BODY_MAX = Notification._meta.get_field("body").max_length
URL_MAX = Notification._meta.get_field("url").max_length


def is_local_url(url: str) -> bool:
    """A path on this host: starts with one "/", no scheme, no host, no backslash tricks."""
    return bool(
        url
        and url.startswith("/")
        and not url.startswith("//")
        and "\\" not in url
        and not any(ord(ch) < 32 for ch in url)
        and len(url) <= URL_MAX
    )


def _clip(text, limit: int) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def notification_create(*, user, kind: str, title, body="", url: str = "") -> Notification:
    """A new unread notification for `user` in the current workspace. Text is clipped to
    fit; a URL that is not a path on this host is dropped (a notification only ever
    sends people within the workspace)."""
    return Notification.objects.create(
        user=user,
        kind=kind[:32],
        title=_clip(title, TITLE_MAX),
        body=_clip(body, BODY_MAX),
        url=url if is_local_url(url) else "",
    )


def notifications_in_their_language(*, users, kind: str, url: str, text) -> None:
    """One notification for each of `users`, its (title, body) from `text(user)` called in
    that user's language."""
    from django.conf import settings
    from django.utils import translation

    for user in users:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            title, body = text(user)
        notification_create(user=user, kind=kind, title=title, body=body, url=url)


def notifications_mark_read(*, ids, actor) -> int:
    """Mark `actor`'s notifications among `ids` read; other people's ids are ignored.
    Returns how many changed."""
    with transaction.atomic():
        return Notification.objects.filter(user=actor, pk__in=list(ids), read_at__isnull=True).update(
            read_at=timezone.now()
        )


def notifications_mark_all_read(*, actor) -> int:
    """Mark every unread notification of `actor` in this workspace read."""
    with transaction.atomic():
        return Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())
