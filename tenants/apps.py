from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Tenants")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from themes.navigation import SettingsTab, settings_tab_register

        settings_tab_register(SettingsTab("domains", _("Domains"), "settings_domains", "workspace.change_settings", order=35))
