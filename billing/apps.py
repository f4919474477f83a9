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

        # One tab for the plan, its usage and the Stripe subscription (billing/views.py).
        settings_tab_register(
            SettingsTab("billing", _("Plan and billing"), "settings_billing", "billing.manage", order=95)
        )
        # The workspace's own Stripe account for its customers' card payments (connect_views.py).
        settings_tab_register(
            SettingsTab("payments", _("Card payments"), "settings_payments", "billing.manage", order=96)
        )

        # Set once for the process: the stripe SDK (and dj-stripe through it) reads it.
        if settings.STRIPE_API_BASE:
            stripe.api_base = settings.STRIPE_API_BASE
        webhooks.connect()
