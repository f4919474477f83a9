"""The deals list: its filters and columns (the board is in selectors.deal_board)."""

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from tenant_apps.records.listing import ColumnDef, EntityList, FilterDef, entity_list_register
from tenant_apps.records.models import Entity

from .models import Deal, DealStatus


def _queryset(user):
    return Deal.objects.select_related("owner", "company", "stage", "pipeline").prefetch_related("tags")


def money(deal) -> str:
    return f"{number_format(deal.amount, 2, force_grouping=True)} {deal.currency}" if deal.amount is not None else ""


DEALS = EntityList(
    entity=Entity.DEAL,
    model=Deal,
    queryset=_queryset,
    url_name="deal_list",
    perm_view="deals.view_deal",
    default_sort="-created_at",
    filters={
        f.name: f
        for f in [
            FilterDef("owner", _("Owner"), "member"),
            FilterDef("pipeline", _("Pipeline"), "fk"),
            FilterDef("stage", _("Stage"), "fk"),
            FilterDef("status", _("Status"), "choice", choices=tuple(DealStatus.choices)),
            FilterDef("company", _("Company"), "fk"),
            FilterDef("contact", _("Contact"), "fk", path="contacts"),
            FilterDef("tag", _("Tag"), "tag", path="tags"),
            FilterDef("title", _("Title"), "text"),
            FilterDef("currency", _("Currency"), "text"),
            FilterDef("amount", _("Amount"), "number"),
            FilterDef("expected_close_date", _("Expected close"), "date"),
            FilterDef("closed_at", _("Closed"), "date"),
            FilterDef("created_at", _("Created"), "date"),
        ]
    },
    columns=[
        ColumnDef("title", _("Title"), "lower:title", value=lambda d: d.title),
        ColumnDef("amount", _("Amount"), "amount", value=money),
        ColumnDef("stage", _("Stage"), "stage__position", value=lambda d: d.stage.name),
        ColumnDef("status", _("Status"), "status", value=lambda d: d.get_status_display()),
        ColumnDef("company", _("Company"), "company__name", value=lambda d: d.company.name if d.company else ""),
        ColumnDef("expected_close_date", _("Expected close"), "expected_close_date", value=lambda d: d.expected_close_date),
        ColumnDef("pipeline", _("Pipeline"), "pipeline__name", default=False, value=lambda d: d.pipeline.name),
        ColumnDef("owner", _("Owner"), "owner__email", value=lambda d: str(d.owner or "")),
        ColumnDef("tags", _("Tags"), default=False, value=lambda d: ", ".join(t.name for t in d.tags.all())),
        ColumnDef("created_at", _("Created"), "created_at", default=False, value=lambda d: d.created_at),
    ],
)
entity_list_register(DEALS)
