from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tenant_apps.tickets"
    label = "tickets"
    verbose_name = _("Support tickets")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from themes.navigation import NavSection, nav_register

        from portal.exports import export_section_register

        from . import rules  # noqa: F401  (registers the tickets.* permissions)
        from .selectors import portal_tickets_export

        nav_register(NavSection("tickets", _("Tickets"), "ticket_list", "tickets", order=45, active_prefix="/tickets/"))
        export_section_register("tickets", portal_tickets_export)
