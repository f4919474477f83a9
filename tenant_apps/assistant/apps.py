from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "tenant_apps.assistant"
    label = "assistant"
    verbose_name = _("AI assistant")
    default_auto_field = "django.db.models.BigAutoField"
