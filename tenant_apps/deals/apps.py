from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "tenant_apps.deals"
    label = "deals"
    verbose_name = _("Deals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import listing, provisioning  # noqa: F401  (list definition, default pipeline hook)
