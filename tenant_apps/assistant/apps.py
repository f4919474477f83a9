from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "tenant_apps.assistant"
    label = "assistant"
    verbose_name = _("AI assistant")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from themes.navigation import SettingsTab, settings_tab_register

        settings_tab_register(
            SettingsTab("assistant", _("AI assistant"), "settings_assistant", "assistant.configure", order=95)
        )
