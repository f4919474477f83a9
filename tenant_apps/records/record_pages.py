"""What every record page (contact, company, deal) shows around the record itself."""

from shared_apps.accounts.rules import can
from tenant_apps.activities.models import ActivityKind

from .custom_fields import custom_fields_for
from .history_selectors import record_history

TABS = ("timeline", "deals", "tasks", "history")
KIND_FILTERS = ("note", "call", "meeting", "email", "system")


def record_page_context(request, *, record, entity: str) -> dict:
    from tenant_apps.activities.selectors import timeline_for

    tab = request.GET.get("tab", "timeline")
    if tab not in TABS:
        tab = "timeline"
    kinds = [k for k in request.GET.getlist("kind") if k in KIND_FILTERS]
    context = {
        "record": record,
        "entity": entity,
        "tab": tab,
        "kinds": kinds,
        "custom_fields": [(cf, (record.custom or {}).get(cf.key)) for cf in custom_fields_for(entity)],
        "can_change": can(request.user, f"{_app(entity)}.change_{entity}", record),
        "can_delete": can(request.user, f"{_app(entity)}.delete_{entity}", record),
        "can_log": can(request.user, "activities.log"),
        "can_merge": can(request.user, "records.merge"),
        "can_erase": can(request.user, "records.erase"),
        "can_add_deal": can(request.user, "deals.add_deal"),
        "kind_filter_choices": [(k, label) for k, label in ActivityKind.choices],
    }
    if tab == "timeline":
        entries = list(timeline_for(user=request.user, kinds=kinds or None, **{entity: record}, limit=51))
        context["timeline"] = entries[:50]
        context["timeline_more"] = entries[49].pk if len(entries) > 50 else None
    elif tab == "history":
        context["history"] = record_history(record=record)
    elif tab == "tasks":
        from tenant_apps.tasks.selectors import tasks_for_record

        context["record_tasks"] = tasks_for_record(user=request.user, **{entity: record})
    elif tab == "deals" and entity in ("contact", "company"):
        from tenant_apps.deals.models import Deal
        from tenant_apps.records.visibility import visible

        deals = Deal.objects.filter(contacts=record) if entity == "contact" else Deal.objects.filter(company=record)
        context["record_deals"] = visible(deals, request.user).select_related("stage", "owner").order_by("-created_at")[:100]
    return context


def _app(entity: str) -> str:
    return {"contact": "contacts", "company": "companies", "deal": "deals"}[entity]
