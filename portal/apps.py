from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Customer portal")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from themes.navigation import SettingsTab, settings_tab_register

        from . import rules  # noqa: F401  (registers the permissions)

        settings_tab_register(SettingsTab("portal", _("Customer portal"), "settings_portal", "portal.manage", order=58))
