from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "tenant_apps.imports"
    label = "imports"
    verbose_name = _("Imports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tenant_apps.contacts.services import contact_erased
        from themes.navigation import SettingsTab, settings_tab_register

        settings_tab_register(SettingsTab("imports", _("Imports"), "import_list", "records.import", order=70))
        contact_erased.connect(_scrub_erased_contact, dispatch_uid="imports_scrub_erased_contact")


def _scrub_erased_contact(sender, contact_id, **kwargs):
    from .services import import_snapshots_scrub

    import_snapshots_scrub(contact_id=contact_id)
