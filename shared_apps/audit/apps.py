from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "shared_apps.audit"
    label = "audit"
    verbose_name = _("Security log")
    default_auto_field = "django.db.models.BigAutoField"
