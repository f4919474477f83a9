from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "tenant_apps.contacts"
    label = "contacts"
    verbose_name = _("Contacts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from themes.navigation import NavSection, nav_register

        nav_register(NavSection("contacts", _("Contacts"), "contact_list", "users", order=10, active_prefix="/contacts/"))
        from . import listing  # noqa: F401  (registers the list definition)
