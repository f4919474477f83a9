from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "tenant_apps.companies"
    label = "companies"
    verbose_name = _("Companies")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from themes.navigation import NavSection, nav_register

        nav_register(NavSection("companies", _("Companies"), "company_list", "building", order=20, active_prefix="/companies/"))
        from . import listing  # noqa: F401  (registers the list definition)
