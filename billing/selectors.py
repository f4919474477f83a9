"""Reads of the plan catalogue."""

from .models import Plan


def plan_list_public():
    return Plan.objects.filter(is_public=True).order_by("sort_order")


def plan_default():
    """The plan a new workspace starts on."""
    return Plan.objects.get(code="free")


def plan_notice(request, key: str) -> dict | None:
    """For a page that adds `key` (e.g. "contacts"): None while there is room, else
    {"message", "over", "upgrade_url"} — the refusal an addition would meet, and the
    billing page for those who may open it (None for the others)."""
    from shared_apps.accounts.rules import can

    from .entitlements import entitlement_status
    from .errors import BILLING_PAGE

    status = entitlement_status(request.tenant, key)
    if not status["full"]:
        return None
    return {
        "message": status["message"], "over": status["over"],
        "upgrade_url": BILLING_PAGE if can(request.user, "billing.view_billing") else None,
    }


def subscription_panel(tenant) -> dict:
    """What the billing page's subscription panel shows: the plan and the workspace's
    status (the Stripe subscription replaces this with its own panel)."""
    from .catalogue import PLAN_TAGLINES, plan_display_name
    from .entitlements import plan_of

    plan = plan_of(tenant)
    return {
        "plan": plan,
        "plan_name": plan_display_name(plan),
        "tagline": PLAN_TAGLINES.get(plan.code, plan.tagline),
        "status": tenant.get_status_display(),
        "is_trial": tenant.status == tenant.Status.TRIAL,
        "price_monthly": plan.price_monthly,
        "currency": plan.currency,
    }


def billing_overview(tenant, *, plan) -> dict:
    """The billing page's usage bars and feature list for `tenant` on `plan`: every
    limit as {key, label, used, limit, percent, over, unit} (limit None: unlimited)."""
    from .catalogue import FEATURE_LABELS
    from .entitlements import LIMITS, MB, limit_of
    from .usage import usage_contacts, usage_month, usage_seats, usage_storage_bytes

    month = usage_month(tenant)
    used = {
        "seats": usage_seats(tenant),
        "contacts": usage_contacts(tenant),
        "storage": usage_storage_bytes(tenant),
        "emails": month["emails"],
        "ai_credits": month["ai_credits"],
    }
    rows = []
    for key, spec in LIMITS.items():
        limit = limit_of(plan, key)
        value = used[key]
        row = {"key": key, "label": spec.label, "used": value, "limit": limit, "over": limit is not None and value > limit,
               "percent": min(100, round(100 * value / limit)) if limit else (100 if limit == 0 else 0),
               "unit": "mb" if key == "storage" else ""}
        if key == "storage":
            row["used"] = round(value / MB, 1)
            row["limit"] = None if limit is None else limit // MB
        rows.append(row)
    features = [{"key": code, "label": label, "included": plan.has_feature(code)} for code, label in FEATURE_LABELS.items()]
    return {"usage": rows, "features": features}
