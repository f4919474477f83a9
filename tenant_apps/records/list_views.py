"""The pieces every record list page shares: read the query (or a saved view), page
the records, describe filters, columns and chips for the template."""

from dataclasses import dataclass

from django.db.models import Q
from django.http import QueryDict

from shared_apps.accounts.models import Membership
from shared_apps.accounts.rules import can

from .listing import entity_list, list_page, list_query_parse, list_queryset
from .models import CustomField, SavedView, Tag


@dataclass
class Column:
    key: str
    label: object
    sortable: bool
    custom: CustomField | None = None


def members_of_workspace(tenant):
    return list(
        Membership.objects.filter(tenant=tenant).select_related("user").order_by("user__full_name", "user__email")
    )


def saved_views_for(user, entity):
    return SavedView.objects.filter(entity=entity).filter(Q(owner=user) | Q(is_shared=True)).order_by("name")


def list_context(request, entity: str) -> dict:
    """Everything a list template needs, from the request's query (or ?view=<id>)."""
    config = entity_list(entity)
    params = request.GET
    current_view = None
    view_id = params.get("view")
    if view_id and view_id.isdigit():
        current_view = saved_views_for(request.user, entity).filter(pk=int(view_id)).first()
        if current_view is not None and set(params.keys()) <= {"view", "page"}:
            merged = QueryDict(current_view.query, mutable=True)
            if params.get("page"):
                merged["page"] = params["page"]
            params = merged
    query = list_query_parse(config, params, request.user)
    page = list_page(list_queryset(config, request.user, query), page=params.get("page"), size=params.get("size"))
    customs = list(query.custom_fields.values())  # read once, by list_query_parse
    by_key = {c.key: c for c in config.columns}
    columns = []
    for key in query.columns:
        if key in by_key:
            columns.append(Column(key, by_key[key].label, bool(by_key[key].sort)))
    for cf in customs:
        if f"cf_{cf.key}" in (params.get("cols") or "").split(","):
            columns.append(Column(f"cf_{cf.key}", cf.label, True, cf))
    return {
        "entity": entity,
        "config": config,
        "query": query,
        "params": params,
        "page": page,
        "columns": columns,
        "all_columns": [(c.key, c.label, c.key in query.columns) for c in config.columns]
        + [(f"cf_{cf.key}", cf.label, any(col.key == f"cf_{cf.key}" for col in columns)) for cf in customs],
        "custom_fields": customs,
        "filter_custom_fields": customs,
        "members": members_of_workspace(request.tenant),
        "tags": Tag.objects.all(),
        "saved_views": saved_views_for(request.user, entity),
        "current_view": current_view,
        "query_string": params.urlencode(),
        "can_bulk_change": can(request.user, "records.bulk_change"),
        "can_bulk_delete": can(request.user, "records.bulk_delete"),
        "can_export": can(request.user, "records.export"),
        "can_import": can(request.user, "records.import"),
        "can_share_views": can(request.user, "records.bulk_delete"),
    }
