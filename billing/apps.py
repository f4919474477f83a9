from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Billing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        import stripe
        from django.conf import settings

        from themes.navigation import SettingsTab, settings_tab_register

        from . import webhooks

        settings_tab_register(SettingsTab("billing", _("Billing"), "settings_billing", "billing.manage", order=90))

        # Set once for the process: the stripe SDK (and dj-stripe through it) reads it.
        if settings.STRIPE_API_BASE:
            stripe.api_base = settings.STRIPE_API_BASE
        webhooks.connect()
