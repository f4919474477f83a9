from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "tenant_apps.workspace"
    label = "workspace"
    verbose_name = _("Workspace")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from themes.navigation import NavSection, nav_register

        from . import dashboard, provisioning  # noqa: F401  (register hooks and cards)

        nav_register(NavSection("dashboard", _("Dashboard"), "dashboard", "home", order=0, active_prefix="/"))
        nav_register(
            NavSection(
                "settings", _("Settings"), "settings_profile", "settings", order=900,
                permission="workspace.change_settings", active_prefix="/settings/",
            )
        )
