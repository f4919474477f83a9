"""Reading a member's notifications."""

from django.db import connection

from .models import Notification

UNREAD_CAP = 99


def notification_unread_count(*, user) -> int:
    """Unread notifications of `user`, counted up to UNREAD_CAP + 1 (the bell shows
    "99+"). One query on the partial index of unread rows; 0 outside a workspace."""
    if user is None or not user.is_authenticated or connection.schema_name == "public":
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).order_by()[: UNREAD_CAP + 1].count()


def notification_list(*, user):
    """`user`'s notifications, newest first (page it)."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def notification_get(*, user, pk) -> Notification | None:
    return Notification.objects.filter(user=user, pk=pk).first()
