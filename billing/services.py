"""Writes of billing: a workspace's plan, its trial, and following its Stripe subscription.

The tenant's plan (tenant.plan, which the entitlements read) changes only through
tenant_plan_set, which writes the security log. Stripe's webhooks, the periodic sweep
and the console all end there. Locks are always taken billing account first, then the
tenant row, so that concurrent webhooks and the sweep never deadlock.
"""

import logging
import time
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

from shared_apps.audit.models import EventKind
from shared_apps.audit.services import security_event_record
from tenants.hosts import host_cache_invalidate
from tenants.models import Tenant

from . import stripe_gateway
from .errors import CheckoutPending, NoStripeCustomer, PlanNotForSale
from .models import BillingAccount, Interval, Plan

logger = logging.getLogger(__name__)

FREE_PLAN = "free"
_LIVE = ("active", "trialing")
_FAILING = ("past_due", "unpaid")
_ENDED = ("canceled", "incomplete_expired")


def billing_banner_cache_key(tenant_id: int) -> str:
    return f"billing-banner:{tenant_id}"


def billing_banner_publish(account: BillingAccount) -> None:
    """Put the past-due banner of `account`'s workspace in the shared cache (or take it
    away), after commit. Pages read only the cache, so the banner costs no query; the
    sweep publishes again, so a lost cache entry comes back."""
    key = billing_banner_cache_key(account.tenant_id)
    if account.status == BillingAccount.Status.PAST_DUE and account.past_due_since:
        value = {
            "past_due_since": account.past_due_since.isoformat(),
            "grace_ends": (account.past_due_since + timedelta(days=settings.BILLING_GRACE_DAYS)).isoformat(),
        }
        transaction.on_commit(lambda: caches["shared"].set(key, value, timeout=None))
    else:
        transaction.on_commit(lambda: caches["shared"].delete(key))


def tenant_plan_set(*, tenant: Tenant, plan: Plan, reason: str, actor=None, request=None, note: str = "") -> Tenant:
    """Put `tenant` on `plan`, written to the security log with `reason`; nothing is
    deleted on a downgrade (data over a limit becomes read-only, see entitlements).
    Setting the plan it already has changes and logs nothing."""
    with transaction.atomic():
        locked = Tenant.objects.select_for_update().select_related("plan").get(pk=tenant.pk)
        if locked.plan_id != plan.pk:
            previous = locked.plan
            locked.plan = plan
            locked.save(update_fields=["plan", "updated_at"])
            security_event_record(
                kind=EventKind.PLAN_CHANGED, request=request, actor=actor, tenant=locked,
                actor_email="" if actor else "billing", from_plan=previous.code, to_plan=plan.code,
                reason=reason, note=note[:200],
            )
            host_cache_invalidate(tenant=locked)
    tenant.plan = plan
    return locked


def billing_account_open(*, tenant: Tenant, trial: bool) -> BillingAccount:
    """The billing state of a new workspace: a card-less trial of its plan, or none."""
    now = timezone.now()
    if trial:
        return BillingAccount.objects.create(
            tenant=tenant, status=BillingAccount.Status.TRIALING, subscribed_plan=tenant.plan,
            trial_ends_at=now + timedelta(days=settings.BILLING_TRIAL_DAYS),
        )
    paid = tenant.plan.code != FREE_PLAN
    return BillingAccount.objects.create(
        tenant=tenant, status=BillingAccount.Status.ACTIVE if paid else BillingAccount.Status.FREE,
        subscribed_plan=tenant.plan if paid else None,
    )


def _account_locked(tenant: Tenant) -> BillingAccount:
    account, _created = BillingAccount.objects.get_or_create(tenant=tenant)
    return BillingAccount.objects.select_for_update(of=("self",)).select_related("tenant", "subscribed_plan").get(pk=account.pk)


def _free_plan() -> Plan:
    return Plan.objects.get(code=FREE_PLAN)


def billing_plan_override(*, tenant: Tenant, plan: Plan, note: str, actor, request=None) -> BillingAccount:
    """Platform staff put a workspace on a plan by hand (a deal, a courtesy). A live
    Stripe subscription still wins at its next change; without one the plan stays."""
    with transaction.atomic():
        account = _account_locked(tenant)
        if not (account.stripe_subscription_id and account.has_live_subscription):
            paid = plan.code != FREE_PLAN
            account.status = BillingAccount.Status.ACTIVE if paid else BillingAccount.Status.FREE
            account.subscribed_plan = plan if paid else None
            account.trial_ends_at = None
            account.past_due_since = None
            account.save()
        tenant_plan_set(tenant=account.tenant, plan=plan, reason="manual_override", actor=actor, request=request, note=note)
        billing_banner_publish(account)
    tenant.plan = plan
    return account


def plan_update(*, plan: Plan, actor, request=None, **fields) -> Plan:
    """Change a plan of the catalogue (prices, Stripe price ids, limits, features); the
    workspaces on it get the new limits at once. Written to the security log."""
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        changed = {name: value for name, value in fields.items() if getattr(plan, name) != value}
        for name, value in changed.items():
            setattr(plan, name, value)
        plan.full_clean()
        plan.save()
        if changed:
            security_event_record(
                kind=EventKind.PLAN_EDITED, request=request, actor=actor, plan=plan.code, fields=sorted(changed)
            )
    return plan


# --- Checkout and the Billing Portal ---------------------------------------------------


def checkout_start(*, tenant: Tenant, plan: Plan, interval: str, success_url: str, cancel_url: str, actor) -> str:
    """Where to send an owner who chose `plan` per `interval`: a Checkout page that starts
    a subscription, or, when one already runs, the Billing Portal's confirmation of the
    plan change (Stripe prorates). Returns the URL."""
    if interval not in Interval.values:
        raise PlanNotForSale()
    price_id = plan.stripe_price(interval)
    if not price_id or plan.code == FREE_PLAN:
        raise PlanNotForSale()
    customer_id = stripe_gateway.stripe_customer_ensure(tenant=tenant)
    # The account stays locked until the page is made: two owners (or two tabs) choosing
    # a plan at once take turns, so the second finds the first one's page.
    with transaction.atomic():
        account = _account_locked(tenant)
        if account.stripe_customer_id != customer_id:
            account.stripe_customer_id = customer_id
            account.save(update_fields=["stripe_customer_id", "updated_at"])
        if account.has_live_subscription and account.stripe_subscription_id:
            item_id = stripe_gateway.subscription_item_id(account.stripe_subscription_id)
            return stripe_gateway.portal_session_create(
                customer_id=customer_id, return_url=success_url, subscription_id=account.stripe_subscription_id,
                item_id=item_id, price_id=price_id,
            )
        return _checkout_page(account, tenant=tenant, customer_id=customer_id, plan=plan, interval=interval,
                              price_id=price_id, success_url=success_url, cancel_url=cancel_url)


CHECKOUT_LIFETIME_SECONDS = 30 * 60  # Stripe's shortest


def _checkout_page(account, *, tenant, customer_id, plan, interval, price_id, success_url, cancel_url) -> str:
    """One payable Checkout page per workspace: until the webhook says a subscription runs,
    choosing the same price again reuses the open page, and choosing another closes the
    open one first, so two pages cannot start two subscriptions. A page already paid means
    the webhook is on its way: nothing new is started."""
    key = f"billing-checkout:{tenant.pk}"
    open_page = caches["shared"].get(key)
    if open_page and open_page["price"] == price_id:
        return open_page["url"]
    if open_page:
        if stripe_gateway.checkout_session_close(open_page["id"]) == "complete":
            raise CheckoutPending()
        caches["shared"].delete(key)
    # Subscribing during the card-less trial keeps the days left: Stripe charges at its
    # end (Stripe wants a trial end at least 48 hours away).
    trial_end = None
    if account.status == BillingAccount.Status.TRIALING and account.trial_ends_at:
        if account.trial_ends_at - timezone.now() > timedelta(hours=48):
            trial_end = int(account.trial_ends_at.timestamp())
    page = stripe_gateway.checkout_session_create(
        tenant=tenant, customer_id=customer_id, price_id=price_id, plan_code=plan.code, interval=interval,
        success_url=success_url, cancel_url=cancel_url, trial_end=trial_end,
        expires_at=int(time.time()) + CHECKOUT_LIFETIME_SECONDS,
    )
    # Forgotten a little before Stripe closes the page, so a reused page is never a closed one.
    caches["shared"].set(key, {"id": page["id"], "url": page["url"], "price": price_id},
                         CHECKOUT_LIFETIME_SECONDS - 120)
    return page["url"]


def billing_portal_start(*, tenant: Tenant, return_url: str, actor) -> str:
    """The Billing Portal (card, invoices, cancellation) of `tenant`'s Stripe customer."""
    account = BillingAccount.objects.filter(tenant=tenant).first()
    if account is None or not account.stripe_customer_id:
        raise NoStripeCustomer()
    return stripe_gateway.portal_session_create(customer_id=account.stripe_customer_id, return_url=return_url)


# --- Following Stripe (webhooks) -------------------------------------------------------


def _ts(value) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=dt_timezone.utc) if value else None


def _account_for_stripe(*, customer_id: str, tenant_id=None) -> BillingAccount | None:
    if customer_id:
        account = BillingAccount.objects.filter(stripe_customer_id=customer_id).first()
        if account is not None:
            return account
        from djstripe.models import Customer

        subscriber_id = Customer.objects.filter(id=customer_id).values_list("subscriber_id", flat=True).first()
        tenant_id = tenant_id or subscriber_id
    if tenant_id and str(tenant_id).isdigit() and Tenant.objects.filter(pk=int(tenant_id)).exists():
        account, _created = BillingAccount.objects.get_or_create(tenant_id=int(tenant_id))
        return account
    return None


def billing_account_lock_for_event(payload: dict) -> None:
    """Serialise the processing of webhooks about one customer: held until the webhook's
    transaction ends, so two deliveries for one subscription apply one after the other."""
    obj = (payload.get("data") or {}).get("object") or {}
    customer_id = obj.get("id") if obj.get("object") == "customer" else obj.get("customer")
    if isinstance(customer_id, dict):
        customer_id = customer_id.get("id")
    if customer_id:
        list(BillingAccount.objects.select_for_update().filter(stripe_customer_id=customer_id).values_list("pk"))


def _already_applied(account: BillingAccount, event_id: str, created: datetime) -> bool:
    if event_id and account.last_event_id == event_id:
        return True
    # Stripe does not promise order; state older than what was applied is stale.
    return account.last_event_created is not None and created < account.last_event_created


def _mark_applied(account: BillingAccount, event_id: str, created: datetime) -> None:
    account.last_event_id = event_id
    account.last_event_created = created


def _grace_over(account: BillingAccount, now: datetime) -> bool:
    return account.past_due_since is not None and account.past_due_since + timedelta(days=settings.BILLING_GRACE_DAYS) <= now


def _plan_for_price(price_id: str) -> tuple[Plan | None, str]:
    plan = Plan.objects.filter(stripe_price_monthly=price_id).first() if price_id else None
    if plan is not None:
        return plan, Interval.MONTH
    plan = Plan.objects.filter(stripe_price_yearly=price_id).first() if price_id else None
    return plan, Interval.YEAR if plan is not None else ""


def _first_item(subscription: dict) -> dict:
    items = (subscription.get("items") or {}).get("data") or []
    return items[0] if items else {}


def subscription_follow(*, subscription: dict, event_id: str, event_created: datetime) -> BillingAccount | None:
    """Make the workspace follow one Stripe subscription as it stood at one event:
    trialing/active → its plan; past_due → keeps the plan through the grace period;
    canceled → Free. A replayed event, or one older than the last applied, changes nothing."""
    metadata = subscription.get("metadata") or {}
    account = _account_for_stripe(customer_id=subscription.get("customer") or "", tenant_id=metadata.get("tenant_id"))
    if account is None:
        logger.warning("Stripe subscription %s belongs to no workspace", subscription.get("id"))
        return None
    with transaction.atomic():
        account = _account_locked(account.tenant)
        if _already_applied(account, event_id, event_created):
            return account
        _apply_subscription(account, subscription, event_created)
        _mark_applied(account, event_id, event_created)
        account.save()
    return account


def _apply_subscription(account: BillingAccount, subscription: dict, event_created: datetime) -> None:
    status, sub_id = subscription.get("status"), subscription.get("id", "")
    Status = BillingAccount.Status
    replaced = account.stripe_subscription_id and sub_id != account.stripe_subscription_id and account.has_live_subscription
    if status in _ENDED and replaced:
        return  # the end of a subscription this workspace has already replaced by another
    if status not in _LIVE + _FAILING + _ENDED:
        return  # incomplete: Checkout's first payment has not gone through yet
    item = _first_item(subscription)
    plan, interval = _plan_for_price(((item.get("price") or {}).get("id")) or "")
    if plan is None and status not in _ENDED:
        logger.warning("Stripe subscription %s sells a price no plan has", sub_id)
        return
    account.stripe_subscription_id = sub_id
    if subscription.get("customer"):
        account.stripe_customer_id = subscription["customer"]
    if plan is not None:
        account.subscribed_plan, account.interval = plan, interval
    account.current_period_end = _ts(item.get("current_period_end") or subscription.get("current_period_end"))
    account.cancel_at_period_end = bool(subscription.get("cancel_at_period_end"))
    now = timezone.now()
    if status in _LIVE:
        account.status = Status.ACTIVE if status == "active" else Status.TRIALING
        account.trial_ends_at = (
            (_ts(subscription.get("trial_end")) or account.trial_ends_at or account.current_period_end or now)
            if status == "trialing" else None
        )
        account.past_due_since = None
        account.canceled_at = None
        target, reason = plan, "subscription_" + status
    elif status in _FAILING:
        account.status = Status.PAST_DUE
        account.trial_ends_at = None
        account.past_due_since = account.past_due_since or event_created
        grace_over = _grace_over(account, now)
        target, reason = (_free_plan(), "grace_period_over") if grace_over else (plan, "payment_failed")
    else:
        account.status = Status.CANCELED
        account.trial_ends_at = None
        account.past_due_since = None
        account.cancel_at_period_end = False
        account.canceled_at = _ts(subscription.get("ended_at") or subscription.get("canceled_at")) or event_created
        target, reason = _free_plan(), "subscription_canceled"
    account.save()
    tenant_plan_set(tenant=account.tenant, plan=target, reason=reason)
    billing_banner_publish(account)


def checkout_completed(*, session: dict, event_id: str, event_created: datetime) -> BillingAccount | None:
    """A Checkout page was paid: link the workspace to its Stripe customer and
    subscription, and follow the subscription as Stripe has it now."""
    metadata = session.get("metadata") or {}
    account = _account_for_stripe(
        customer_id=session.get("customer") or "", tenant_id=session.get("client_reference_id") or metadata.get("tenant_id")
    )
    if account is None or session.get("mode") != "subscription" or not session.get("subscription"):
        return None
    sub_id = session["subscription"] if isinstance(session["subscription"], str) else session["subscription"]["id"]
    subscription = _subscription_data(sub_id)
    with transaction.atomic():
        account = _account_locked(account.tenant)
        if session.get("customer") and not account.stripe_customer_id:
            account.stripe_customer_id = session["customer"]
        if _already_applied(account, event_id, event_created):
            account.save()
            return account
        if subscription is not None:
            _apply_subscription(account, subscription, event_created)
        _mark_applied(account, event_id, event_created)
        account.save()
    return account


def _subscription_data(sub_id: str) -> dict | None:
    """The subscription as dj-stripe synced it from Stripe for this event, else fetched."""
    from djstripe.models import Subscription

    data = Subscription.objects.filter(id=sub_id).values_list("stripe_data", flat=True).first()
    if data:
        return data
    try:
        return stripe_gateway.subscription_retrieve(sub_id)
    except Exception:
        logger.warning("Could not fetch Stripe subscription %s", sub_id, exc_info=True)
        return None


def invoice_follow(*, invoice: dict, paid: bool, event_id: str, event_created: datetime) -> BillingAccount | None:
    """A renewal's payment failed (→ past_due, grace period starts) or went through
    (→ active again, the paid plan back). Idempotent like subscription_follow."""
    parent = (invoice.get("parent") or {}).get("subscription_details") or {}
    sub_id = parent.get("subscription") or invoice.get("subscription") or ""
    if isinstance(sub_id, dict):
        sub_id = sub_id.get("id", "")
    account = _account_for_stripe(customer_id=invoice.get("customer") or "")
    if account is None or not sub_id:
        return None
    with transaction.atomic():
        account = _account_locked(account.tenant)
        if _already_applied(account, event_id, event_created) or sub_id != account.stripe_subscription_id:
            return account
        Status = BillingAccount.Status
        if paid:
            ends = [((line.get("period") or {}).get("end")) for line in (invoice.get("lines") or {}).get("data", [])]
            ends = [end for end in ends if end]
            if ends:
                account.current_period_end = _ts(max(ends))
            if account.status == Status.PAST_DUE:
                account.status, account.past_due_since = Status.ACTIVE, None
                if account.subscribed_plan is not None:
                    tenant_plan_set(tenant=account.tenant, plan=account.subscribed_plan, reason="payment_succeeded")
        elif account.status in (Status.ACTIVE, Status.TRIALING):
            account.status, account.past_due_since, account.trial_ends_at = Status.PAST_DUE, event_created, None
        _mark_applied(account, event_id, event_created)
        account.save()
        billing_banner_publish(account)
    return account


# --- The periodic sweep ----------------------------------------------------------------


def billing_sweep(*, now: datetime | None = None) -> dict:
    """End card-less trials that ran out (→ Free) and grace periods that passed without a
    payment (→ Free, the subscription is kept for when the card works again).
    Safe to run at any time and more than once."""
    now = now or timezone.now()
    Status = BillingAccount.Status
    ended_trials = grace_over = 0
    expired = BillingAccount.objects.filter(status=Status.TRIALING, stripe_subscription_id="", trial_ends_at__lte=now)
    for pk in expired.values_list("pk", flat=True):
        with transaction.atomic():
            account = BillingAccount.objects.select_for_update(of=("self",)).select_related("tenant").get(pk=pk)
            if account.status != Status.TRIALING or account.stripe_subscription_id or account.trial_ends_at > now:
                continue
            account.status, account.subscribed_plan, account.trial_ends_at = Status.FREE, None, None
            account.save()
            tenant_plan_set(tenant=account.tenant, plan=_free_plan(), reason="trial_ended")
            ended_trials += 1
    cutoff = now - timedelta(days=settings.BILLING_GRACE_DAYS)
    lapsed = BillingAccount.objects.filter(status=Status.PAST_DUE, past_due_since__lte=cutoff).exclude(
        tenant__plan__code=FREE_PLAN
    )
    for pk in lapsed.values_list("pk", flat=True):
        with transaction.atomic():
            account = BillingAccount.objects.select_for_update(of=("self",)).select_related("tenant").get(pk=pk)
            if account.status != Status.PAST_DUE or not _grace_over(account, now):
                continue
            tenant_plan_set(tenant=account.tenant, plan=_free_plan(), reason="grace_period_over")
            grace_over += 1
    for account in BillingAccount.objects.filter(status=Status.PAST_DUE):
        billing_banner_publish(account)
    return {"trials_ended": ended_trials, "grace_periods_ended": grace_over}
