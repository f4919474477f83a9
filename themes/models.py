"""A workspace's branding. Tenant schema; one row."""

import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _

from .colours import validate_hex_colour

DEFAULT_PRIMARY = "#2563eb"
DEFAULT_ACCENT = "#f59e0b"


def logo_upload_to(instance, filename):
    from django.db import connection

    extension = filename.rsplit(".", 1)[-1].lower()
    return f"tenants/{connection.schema_name}/branding/logo-{instance.logo_hash[:16]}.{extension}"


class Branding(models.Model):
    singleton = models.BooleanField(default=True, unique=True, editable=False)
    logo = models.FileField(_("logo"), upload_to=logo_upload_to, blank=True)
    logo_hash = models.CharField(max_length=64, blank=True)
    logo_content_type = models.CharField(max_length=32, blank=True)
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default=DEFAULT_PRIMARY, validators=[validate_hex_colour]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default=DEFAULT_ACCENT, validators=[validate_hex_colour]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(singleton=True), name="branding_singleton")]

    def __str__(self):
        return "Branding"

    @staticmethod
    def hash_bytes(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()
