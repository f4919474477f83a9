"""Reads of the assistant app."""

from django.db import connection
from django_tenants.utils import schema_context

from .models import AssistantSettings, DealAnalysis

# "A tenant's own key on Enterprise": decided by the plan's code rather than a new plan
# feature flag, so that no billing migration is needed (the plans' features are shown on
# the pricing page and a flag would need a label and a data migration there).
OWN_KEY_PLANS = ("enterprise",)


def assistant_own_key_allowed(tenant, *, plan=None) -> bool:
    """Whether `tenant`'s plan (`plan` when the caller has read it) lets it use its own model endpoint."""
    from billing.entitlements import plan_of

    return (plan or plan_of(tenant)).code in OWN_KEY_PLANS


def assistant_settings_of(tenant) -> AssistantSettings | None:
    """`tenant`'s own endpoint settings, read in its schema, or None."""
    if connection.schema_name == tenant.schema_name:
        return AssistantSettings.objects.first()
    with schema_context(tenant.schema_name):
        return AssistantSettings.objects.first()


def deal_analysis_latest(*, deal) -> DealAnalysis | None:
    """The newest analysis of `deal` (the caller has checked that the user may see the deal)."""
    return DealAnalysis.objects.filter(deal=deal).select_related("created_by").first()


TIMELINE_ITEMS = 25
TEXT_LIMIT = 1500


def _clip(text: str) -> str:
    text = text or ""
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT] + "…"


def _visible_contacts(deal, user):
    """The deal's contacts `user` may see (a rep limited to own records sees theirs only)."""
    from tenant_apps.contacts.models import Contact
    from tenant_apps.records.visibility import visible

    return visible(Contact.objects.filter(pk__in=[c.pk for c in deal.contacts.all()]), user).order_by("pk")


def deal_analysis_context(*, deal, user) -> dict:
    """What the model is shown about `deal`: its own facts, its pipeline's stages, its
    recent timeline and its tasks, each read as `user` may see them. Nothing of any
    other record but the names of the deal's company and contacts."""
    from django.utils import timezone

    from tenant_apps.activities.selectors import timeline_for
    from tenant_apps.tasks.selectors import tasks_for_record

    now = timezone.now()
    stages = [
        {"name": stage.name, "probability": stage.probability, "kind": stage.kind}
        for stage in deal.pipeline.stages.order_by("position", "pk")
    ]
    timeline = [
        {
            "when": activity.occurred_at.date().isoformat(), "kind": activity.kind, "subject": _clip(activity.subject),
            "text": _clip(activity.body), "direction": activity.direction, "outcome": activity.outcome,
        }
        for activity in timeline_for(user=user, deal=deal, limit=TIMELINE_ITEMS)
    ]
    tasks = [
        {
            "title": task.title, "status": task.status,
            "due": task.due_at.date().isoformat() if task.due_at else None,
            "overdue": bool(task.due_at and task.status == "open" and task.due_at < now),
        }
        for task in tasks_for_record(user, deal=deal, open_limit=20, done_limit=5)
    ]
    return {
        "today": now.date().isoformat(),
        "deal": {
            "title": deal.title, "status": deal.status, "amount": str(deal.amount) if deal.amount is not None else None,
            "currency": deal.currency, "stage": deal.stage.name, "stage_probability": deal.stage.probability,
            "days_in_stage": (now - deal.stage_entered_at).days if deal.stage_entered_at else None,
            "expected_close_date": deal.expected_close_date.isoformat() if deal.expected_close_date else None,
            "created": deal.created_at.date().isoformat(),
            "last_activity": deal.last_activity_at.date().isoformat() if deal.last_activity_at else None,
            "description": _clip(deal.description), "lost_reason": deal.lost_reason,
            "company": deal.company.name if deal.company_id else None,
            "contacts": [str(contact) for contact in _visible_contacts(deal, user)],
        },
        "pipeline_stages": stages,
        "timeline": timeline,
        "tasks": tasks,
    }
