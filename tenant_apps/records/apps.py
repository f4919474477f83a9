from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "tenant_apps.records"
    label = "records"
    verbose_name = _("Records")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # django-pgtrigger patches Django's migrate command with its own autodetector;
        # django-tenants replaces migrate with migrate_schemas, so the system check
        # (commands.E001) sees two autodetectors. Give migrate_schemas pgtrigger's
        # (this app is listed after pgtrigger, so its ready() runs later).
        from django.core.management.commands import makemigrations
        from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

        MigrateSchemasCommand.autodetector = makemigrations.Command.autodetector

        from themes.navigation import SettingsTab, settings_tab_register, topbar_widget_register

        topbar_widget_register("quick_create", "records/_quick_create.html", order=20)

        settings_tab_register(SettingsTab("fields", _("Custom fields"), "settings_fields", "records.manage_fields", order=50))
        settings_tab_register(SettingsTab("visibility", _("Visibility"), "settings_visibility", "workspace.change_settings", order=60))
