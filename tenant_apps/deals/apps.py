from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "tenant_apps.deals"
    label = "deals"
    verbose_name = _("Deals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from themes.navigation import NavSection, SettingsTab, nav_register, settings_tab_register

        nav_register(NavSection("deals", _("Deals"), "deal_board", "deals", order=30, active_prefix="/deals/"))
        settings_tab_register(SettingsTab("pipelines", _("Pipelines"), "settings_pipelines", "deals.manage_pipelines", order=55))
        from . import dashboard, listing, provisioning  # noqa: F401  (cards, list definition, default pipeline)
