from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TemplatesConfig(AppConfig):
    """Per-workspace document (PDF) and e-mail templates, rendered in a sandbox.

    Label "doc_templates": "templates" would read like Django's own template machinery."""

    name = "tenant_apps.templates"
    label = "doc_templates"
    verbose_name = _("Templates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from themes.navigation import SettingsTab, settings_tab_register

        from . import rules  # noqa: F401

        settings_tab_register(SettingsTab("templates", _("Templates"), "template_list", "doc_templates.edit", order=60))
