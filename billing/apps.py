from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from themes.navigation import SettingsTab, settings_tab_register

        settings_tab_register(
            SettingsTab("billing", _("Plan and billing"), "settings_billing", "billing.view_billing", order=95)
        )
