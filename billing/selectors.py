"""Reads of plans and billing state: the plan catalogue, a workspace's subscription
panel, the past-due banner and the console's numbers."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Q
from django.utils import timezone

from .models import BillingAccount, Interval, Plan


def plan_list_public():
    return Plan.objects.filter(is_public=True).order_by("sort_order")


def plan_default():
    """The plan a new workspace starts on: the trial plan (Pro), for 14 days without a card."""
    return Plan.objects.get(code=settings.BILLING_TRIAL_PLAN)


def plan_list_for_sale():
    """Paid plans that Checkout can sell (at least one Stripe price)."""
    return (
        Plan.objects.filter(is_public=True)
        .exclude(code="free")
        .exclude(stripe_price_monthly="", stripe_price_yearly="")
        .order_by("sort_order")
    )


def billing_account_for(tenant) -> BillingAccount:
    """The workspace's billing state; an unsaved Free one for a workspace made before billing."""
    account = BillingAccount.objects.select_related("subscribed_plan").filter(tenant_id=tenant.pk).first()
    return account or BillingAccount(tenant_id=tenant.pk, status=BillingAccount.Status.FREE)


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
        "upgrade_url": BILLING_PAGE if can(request.user, "billing.manage") else None,
    }


def subscription_panel(tenant) -> dict:
    """Everything the billing page's subscription panel shows for `tenant`: the plan it is
    on now (read fresh, as the entitlements read it), the subscription's status, trial end,
    renewal, past-due grace, and the plans Checkout can sell."""
    from .catalogue import PLAN_TAGLINES, plan_display_name
    from .entitlements import plan_of

    on_plan = plan_of(tenant)
    account = billing_account_for(tenant)
    now = timezone.now()
    Status = BillingAccount.Status
    grace_ends = (
        account.past_due_since + timedelta(days=settings.BILLING_GRACE_DAYS) if account.past_due_since else None
    )
    choices = []
    for plan in plan_list_for_sale():
        for interval, label, price, price_id in (
            (Interval.MONTH, Interval.MONTH.label, plan.price_monthly, plan.stripe_price_monthly),
            (Interval.YEAR, Interval.YEAR.label, plan.price_yearly, plan.stripe_price_yearly),
        ):
            if not price_id:
                continue
            current = account.has_live_subscription and bool(account.stripe_subscription_id) and (
                account.subscribed_plan_id == plan.pk and account.interval == interval
            )
            choices.append({
                "plan": plan, "name": plan_display_name(plan), "interval": interval, "interval_label": label,
                "price": price, "currency": plan.currency, "current": current,
            })
    return {
        "account": account,
        "plan": on_plan,
        "plan_name": plan_display_name(on_plan),
        "tagline": PLAN_TAGLINES.get(on_plan.code, on_plan.tagline),
        "status": account.status,
        "status_label": account.get_status_display(),
        "is_trial": account.status == Status.TRIALING,
        "trial_ends_at": account.trial_ends_at,
        "trial_days_left": max(0, (account.trial_ends_at - now).days) if account.trial_ends_at else None,
        "renews_at": account.current_period_end if account.status in (Status.ACTIVE, Status.PAST_DUE) else None,
        "cancel_at_period_end": account.cancel_at_period_end,
        "is_past_due": account.status == Status.PAST_DUE,
        "grace_ends": grace_ends,
        "has_subscription": account.has_live_subscription and bool(account.stripe_subscription_id),
        "can_manage": bool(account.stripe_customer_id),
        "choices": choices,
        "interval": account.interval,
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


def billing_banner(tenant_id: int) -> dict | None:
    """The past-due banner of a workspace, from the cache only (see billing_banner_publish)."""
    from .services import billing_banner_cache_key

    value = caches["shared"].get(billing_banner_cache_key(tenant_id))
    if not value:
        return None
    return {key: datetime.fromisoformat(when) for key, when in value.items()}


# --- The console --------------------------------------------------------------------------


def billing_metrics(*, now=None) -> dict:
    """MRR by currency, plan distribution, trials ending within 7 days, failed payments
    and churn over 30 days, for the platform console."""
    now = now or timezone.now()
    Status = BillingAccount.Status
    paying = BillingAccount.objects.filter(
        status__in=[Status.ACTIVE, Status.PAST_DUE], subscribed_plan__isnull=False
    ).exclude(stripe_subscription_id="").select_related("subscribed_plan")
    mrr: dict[str, Decimal] = {}
    for account in paying:
        plan = account.subscribed_plan
        monthly = plan.price_yearly / 12 if account.interval == Interval.YEAR else plan.price_monthly
        mrr[plan.currency] = mrr.get(plan.currency, Decimal("0")) + monthly
    from tenants.models import Tenant

    distribution = list(
        Tenant.objects.values("plan__code", "plan__name", "plan__sort_order")
        .annotate(count=Count("pk"))
        .order_by("plan__sort_order")
    )
    trials = (
        BillingAccount.objects.filter(status=Status.TRIALING, trial_ends_at__gte=now, trial_ends_at__lte=now + timedelta(days=7))
        .select_related("tenant", "tenant__plan")
        .order_by("trial_ends_at")
    )
    failed = BillingAccount.objects.filter(status=Status.PAST_DUE).select_related("tenant", "tenant__plan").order_by("past_due_since")
    since = now - timedelta(days=30)
    churned = (
        BillingAccount.objects.filter(status=Status.CANCELED, canceled_at__gte=since)
        .select_related("tenant", "subscribed_plan")
        .order_by("-canceled_at")
    )
    churn_count = churned.count()
    paying_count = paying.count()
    base = paying_count + churn_count
    counts = BillingAccount.objects.aggregate(
        trialing=Count("pk", filter=Q(status=Status.TRIALING)),
        active=Count("pk", filter=Q(status=Status.ACTIVE)),
    )
    return {
        "mrr": sorted((currency, amount.quantize(Decimal("0.01"))) for currency, amount in mrr.items()),
        "paying_count": paying_count,
        "distribution": distribution,
        "trials_ending": list(trials[:100]),
        "failed_payments": list(failed[:100]),
        "churned": list(churned[:100]),
        "churn_count": churn_count,
        "churn_rate": (Decimal(churn_count * 100) / base).quantize(Decimal("0.1")) if base else Decimal("0"),
        "trialing_count": counts["trialing"],
        "active_count": counts["active"],
    }
