from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class SalesConfig(AppConfig):
    name = "tenant_apps.sales"
    label = "sales"
    verbose_name = _("Sales documents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from themes.navigation import NavSection, SettingsTab, nav_register, settings_tab_register

        from . import rules  # noqa: F401  (registers the permissions)

        nav_register(NavSection("sales", pgettext_lazy("section", "Sales"), "sales_document_list", "sales", order=35,
                                permission="sales.view_document", active_prefix="/sales/"))
        settings_tab_register(SettingsTab("sales", pgettext_lazy("section", "Sales"), "sales_settings", "sales.change_settings", order=57))
