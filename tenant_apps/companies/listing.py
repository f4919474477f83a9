"""The companies list: its filters and columns."""

from django.utils.translation import gettext_lazy as _

from tenant_apps.records.listing import ColumnDef, EntityList, FilterDef, entity_list_register
from tenant_apps.records.models import Entity, LifecycleStage, Source
from tenant_apps.records.phones import phone_display

from .models import Company, CompanySize, Industry


def _queryset(user):
    return Company.objects.select_related("owner").prefetch_related("tags")


COMPANIES = EntityList(
    entity=Entity.COMPANY,
    model=Company,
    queryset=_queryset,
    url_name="company_list",
    perm_view="companies.view_company",
    default_sort="name",
    filters={
        f.name: f
        for f in [
            FilterDef("owner", _("Owner"), "member"),
            FilterDef("industry", _("Industry"), "choice", choices=tuple(Industry.choices)),
            FilterDef("size", _("Size"), "choice", choices=tuple(CompanySize.choices)),
            FilterDef("lifecycle_stage", _("Lifecycle stage"), "choice", choices=tuple(LifecycleStage.choices)),
            FilterDef("source", _("Source"), "choice", choices=tuple(Source.choices)),
            FilterDef("tag", _("Tag"), "tag", path="tags"),
            FilterDef("name", _("Name"), "text"),
            FilterDef("domain", _("Domain"), "text"),
            FilterDef("city", _("City"), "text"),
            FilterDef("country", _("Country"), "text"),
            FilterDef("created_at", _("Created"), "date"),
            FilterDef("last_activity_at", _("Last activity"), "date"),
        ]
    },
    columns=[
        ColumnDef("name", _("Name"), "lower:name", value=lambda c: c.name),
        ColumnDef("domain", _("Domain"), "domain", value=lambda c: c.domain),
        ColumnDef("industry", _("Industry"), "industry", value=lambda c: c.get_industry_display()),
        ColumnDef("size", _("Size"), "size", default=False, value=lambda c: c.get_size_display()),
        ColumnDef("phone", _("Phone"), "phone", default=False, value=lambda c: phone_display(c.phone)),
        ColumnDef("city", _("City"), "city", value=lambda c: c.city),
        ColumnDef("country", _("Country"), "country", default=False, value=lambda c: c.country),
        ColumnDef("lifecycle_stage", _("Lifecycle stage"), "lifecycle_stage", default=False,
                  value=lambda c: c.get_lifecycle_stage_display()),
        ColumnDef("owner", _("Owner"), "owner__email", value=lambda c: str(c.owner or "")),
        ColumnDef("tags", _("Tags"), value=lambda c: ", ".join(t.name for t in c.tags.all())),
        ColumnDef("created_at", _("Created"), "created_at", default=False, value=lambda c: c.created_at),
        ColumnDef("last_activity_at", _("Last activity"), "last_activity_at", value=lambda c: c.last_activity_at),
    ],
)
entity_list_register(COMPANIES)
