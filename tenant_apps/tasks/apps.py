from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tenant_apps.tasks"
    label = "tasks"
    verbose_name = _("Tasks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from themes.navigation import NavSection, nav_register

        # The reminder handler registers itself with the scheduler on import; the
        # dashboard card on import too.
        from . import dashboard, tasks  # noqa: F401

        nav_register(NavSection("tasks", _("Tasks"), "task_list", "tasks", order=40, active_prefix="/tasks/"))
