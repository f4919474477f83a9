"""In-app notifications for a user in a workspace."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.records.models import user_reference


class Notification(models.Model):
    user = user_reference(null=False, blank=False)
    kind = models.CharField(max_length=32)
    title = models.CharField(_("title"), max_length=200)
    body = models.CharField(_("text"), max_length=500, blank=True)
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
            models.Index(fields=["user"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx"),
        ]

    def __str__(self):
        return self.title
