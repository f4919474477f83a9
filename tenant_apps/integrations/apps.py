from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "tenant_apps.integrations"
    label = "integrations"
    verbose_name = _("Integrations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from themes.navigation import SettingsTab, settings_tab_register

        from .api import schema  # noqa: F401  (OpenAPI extensions for our authentication classes)

        settings_tab_register(
            SettingsTab("integrations", _("Integrations"), "settings_integrations", "integrations.manage_api_keys", order=90)
        )
