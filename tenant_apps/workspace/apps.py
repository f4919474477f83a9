from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "tenant_apps.workspace"
    label = "workspace"
    verbose_name = _("Workspace")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from themes.navigation import NavSection, SettingsTab, nav_register, settings_tab_register

        from . import dashboard, provisioning  # noqa: F401  (register hooks and cards)

        nav_register(NavSection("dashboard", _("Dashboard"), "dashboard", "home", order=0, active_prefix="/"))
        nav_register(
            NavSection(
                "settings", _("Settings"), "settings_profile", "settings", order=900,
                permission="workspace.open_settings", active_prefix="/settings/",
            )
        )
        for order, (key, label, url_name, permission) in enumerate((
            ("profile", _("Company"), "settings_profile", "workspace.change_settings"),
            ("branding", _("Branding"), "settings_branding", "workspace.change_settings"),
            ("members", _("Users and invitations"), "settings_members", "workspace.manage_members"),
            ("security", _("Security"), "settings_security", "workspace.change_security"),
        )):
            settings_tab_register(SettingsTab(key, label, url_name, permission, order=order * 10))
