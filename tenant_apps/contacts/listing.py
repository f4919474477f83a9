"""The contacts list: its filters and columns (tenant_apps/records/listing.py)."""

from django.utils.translation import gettext_lazy as _

from tenant_apps.records.listing import ColumnDef, EntityList, FilterDef, entity_list_register
from tenant_apps.records.models import Entity, LifecycleStage, Source
from tenant_apps.records.phones import phone_display

from .models import Contact


def _queryset(user):
    return Contact.objects.select_related("owner", "company").prefetch_related("tags")


CONTACTS = EntityList(
    entity=Entity.CONTACT,
    model=Contact,
    queryset=_queryset,
    url_name="contact_list",
    perm_view="contacts.view_contact",
    default_sort="-created_at",
    filters={
        f.name: f
        for f in [
            FilterDef("owner", _("Owner"), "member"),
            FilterDef("company", _("Company"), "fk"),
            FilterDef("lifecycle_stage", _("Lifecycle stage"), "choice", choices=tuple(LifecycleStage.choices)),
            FilterDef("source", _("Source"), "choice", choices=tuple(Source.choices)),
            FilterDef("tag", _("Tag"), "tag", path="tags"),
            FilterDef("first_name", _("First name"), "text"),
            FilterDef("last_name", _("Last name"), "text"),
            FilterDef("email", _("E-mail"), "text"),
            FilterDef("phone", _("Phone"), "text"),
            FilterDef("job_title", _("Job title"), "text"),
            FilterDef("city", _("City"), "text"),
            FilterDef("country", _("Country"), "text"),
            FilterDef("created_at", _("Created"), "date"),
            FilterDef("updated_at", _("Updated"), "date"),
            FilterDef("last_activity_at", _("Last activity"), "date"),
        ]
    },
    columns=[
        ColumnDef("name", _("Name"), "lower:last_name,lower:first_name", value=lambda c: c.full_name),
        ColumnDef("email", _("E-mail"), "email", value=lambda c: c.email),
        ColumnDef("phone", _("Phone"), "phone", value=lambda c: phone_display(c.phone)),
        ColumnDef("company", _("Company"), "company__name", value=lambda c: c.company.name if c.company else ""),
        ColumnDef("job_title", _("Job title"), "job_title", default=False, value=lambda c: c.job_title),
        ColumnDef("lifecycle_stage", _("Lifecycle stage"), "lifecycle_stage", value=lambda c: c.get_lifecycle_stage_display()),
        ColumnDef("source", _("Source"), "source", default=False, value=lambda c: c.get_source_display()),
        ColumnDef("city", _("City"), "city", default=False, value=lambda c: c.city),
        ColumnDef("country", _("Country"), "country", default=False, value=lambda c: c.country),
        ColumnDef("owner", _("Owner"), "owner__email", value=lambda c: str(c.owner or "")),
        ColumnDef("tags", _("Tags"), value=lambda c: ", ".join(t.name for t in c.tags.all())),
        ColumnDef("created_at", _("Created"), "created_at", default=False, value=lambda c: c.created_at),
        ColumnDef("last_activity_at", _("Last activity"), "last_activity_at", value=lambda c: c.last_activity_at),
    ],
)
entity_list_register(CONTACTS)
