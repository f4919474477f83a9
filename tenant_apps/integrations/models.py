"""API keys: each lives in one workspace's schema, so it can only ever open that workspace."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.records.models import user_reference


class ApiKey(models.Model):
    """A secret that acts as its creator (with the creator's current role) through the
    REST API. Only a SHA-256 hash of the secret is kept; the full key is shown once."""

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    name = models.CharField(_("name"), max_length=80)
    # The public start of the key ("tsk_ab12cd34"), shown in lists and used to find it.
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scope = models.CharField(_("access"), max_length=16, choices=Scope.choices, default=Scope.READ)
    created_by = user_reference(_("acts as"), null=False, blank=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable_at(self, now) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
