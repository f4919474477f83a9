"""Entitlements: the one place that answers "may this workspace do X" (a feature of its
plan) and "how much of Y is left" (a limit of its plan).

Every service that adds something a plan limits asks here, inside the transaction that
writes it, so the answer holds whichever door the request came through (a form,
quick-create, the API, an import). The plan is read from the database on every check,
not from the tenant object a request carries: a plan changed a moment ago (an upgrade, a
downgrade, an override in the console) applies to the next check.

Guarantees:
- A refusal raises billing.errors.EntitlementError (PlanLimitReached: code
  `plan_limit_reached`; PlanFeatureUnavailable: `plan_feature_unavailable`) with a
  translated message naming the plan and the limit, and `upgrade_url`; nothing is
  written by the check itself.
- Counted limits (contacts, seats) are checked under a per-workspace lock held until the
  caller's transaction ends, so two concurrent additions cannot both take the last place.
- Monthly limits (e-mails, AI credits) are consumed by one atomic conditional increment
  (billing.usage.usage_add): concurrent consumers never pass the limit.
- After a downgrade nothing is deleted. A workspace over a limit keeps what it has and
  can read, change, export and delete it; it cannot add more (amount > 0 is refused,
  and so is amount 0: "is the workspace within its limit at all").
"""

from dataclasses import dataclass

from django.db import connection
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import usage
from .catalogue import FEATURE_LABELS, plan_display_name
from .errors import PlanFeatureUnavailable, PlanLimitReached
from .models import Plan

MB = 1024 * 1024
FEATURES = tuple(FEATURE_LABELS)


@dataclass(frozen=True)
class Limit:
    key: str
    plan_field: str
    label: object
    monthly: bool = False
    # Plan values are in MB for storage; usage and limits here are in bytes.
    scale: int = 1


LIMITS = {
    "seats": Limit("seats", "max_seats", gettext_lazy("Users")),
    "contacts": Limit("contacts", "max_contacts", gettext_lazy("Contacts")),
    "storage": Limit("storage", "max_storage_mb", gettext_lazy("File storage"), scale=MB),
    "emails": Limit("emails", "max_emails_per_month", gettext_lazy("E-mails this month"), monthly=True),
    "ai_credits": Limit("ai_credits", "ai_credits_per_month", gettext_lazy("AI credits this month"), monthly=True),
}


def _limit(key: str) -> Limit:
    if key not in LIMITS:
        raise ValueError(f"unknown limit {key!r}; one of {sorted(LIMITS)}")
    return LIMITS[key]


def plan_of(tenant) -> Plan:
    """The plan `tenant` is on now, read from the database (one query)."""
    return Plan.objects.get(tenants__pk=tenant.pk)


def limit_of(plan: Plan, key: str) -> int | None:
    """The plan's limit for `key` in the unit usage is measured in (bytes for storage);
    None means unlimited."""
    spec = _limit(key)
    value = getattr(plan, spec.plan_field)
    return None if value is None else value * spec.scale


def usage_of(tenant, key: str) -> int:
    """How much of `key` `tenant` uses now (this month for monthly limits)."""
    _limit(key)
    if key == "seats":
        return usage.usage_seats(tenant)
    if key == "contacts":
        return usage.usage_contacts(tenant)
    if key == "storage":
        return usage.usage_storage_bytes(tenant)
    return usage.usage_month(tenant)[key]


def entitlement_allows(tenant, feature: str, *, plan: Plan | None = None) -> bool:
    """Whether `tenant`'s plan includes `feature` (one of FEATURES)."""
    if feature not in FEATURES:
        raise ValueError(f"unknown feature {feature!r}; one of {FEATURES}")
    plan = plan or plan_of(tenant)
    return plan.has_feature(feature)


def entitlement_require(tenant, feature: str, *, plan: Plan | None = None) -> None:
    """Raise PlanFeatureUnavailable unless `tenant`'s plan includes `feature`."""
    plan = plan or plan_of(tenant)
    if not entitlement_allows(tenant, feature, plan=plan):
        raise PlanFeatureUnavailable(
            _("%(feature)s is not included in the %(plan)s plan. Upgrade the plan to use it.")
            % {"feature": FEATURE_LABELS[feature], "plan": plan_display_name(plan)},
            plan=plan, feature=feature,
        )


def entitlement_remaining(tenant, key: str, *, plan: Plan | None = None) -> int | None:
    """How much more of `key` `tenant` may add now: None if unlimited, 0 if at or over
    the limit (bytes for storage)."""
    plan = plan or plan_of(tenant)
    limit = limit_of(plan, key)
    if limit is None:
        return None
    return max(0, limit - usage_of(tenant, key))


def _lock(tenant, key: str) -> None:
    """Serialise additions of `key` in `tenant` until the caller's transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"billing:{key}:{tenant.pk}"])


def entitlement_check(tenant, key: str, amount: int = 1, *, plan: Plan | None = None) -> int | None:
    """Raise PlanLimitReached unless `tenant` may add `amount` of `key` (a counted limit:
    seats, contacts, storage in bytes). amount=0 asks whether the workspace is within its
    limit at all (after a downgrade it may not be). Returns what remains after adding, or
    None if unlimited.

    Call it inside the transaction that writes: for seats and contacts it takes a lock
    that is held until that transaction ends, so the count it read stays true."""
    spec = _limit(key)
    if spec.monthly:
        raise ValueError(f"{key} is a monthly limit: use entitlement_consume")
    plan = plan or plan_of(tenant)
    limit = limit_of(plan, key)
    if limit is None:
        return None
    if key in ("seats", "contacts") and connection.in_atomic_block:
        _lock(tenant, key)
    used = usage_of(tenant, key)
    if used + amount > limit or (amount == 0 and used > limit):
        raise limit_error(plan, key, used=used, amount=amount)
    return limit - used - amount


def entitlement_consume(tenant, key: str, amount: int = 1, *, plan: Plan | None = None) -> int:
    """Take `amount` of a monthly limit (e-mails, AI credits) for `tenant`, atomically:
    all of it or, raising PlanLimitReached, none. Returns this month's new total."""
    spec = _limit(key)
    if not spec.monthly:
        raise ValueError(f"{key} is not a monthly limit: use entitlement_check")
    plan = plan or plan_of(tenant)
    limit = limit_of(plan, key)
    total = usage.usage_add(tenant=tenant, counter=key, n=amount, limit=limit)
    if total is None:
        raise limit_error(plan, key, used=usage.usage_month(tenant)[key], amount=amount)
    return total


def _amount(key: str, value: int) -> str:
    if key == "storage":
        return number_format(round(value / MB), force_grouping=True)
    return number_format(value, force_grouping=True)


def limit_error(plan: Plan, key: str, *, used: int, amount: int = 1) -> PlanLimitReached:
    """The refusal for `key`, in the user's language, naming the plan and its limit."""
    limit = limit_of(plan, key)
    values = {"plan": plan_display_name(plan), "limit": _amount(key, limit), "used": _amount(key, used)}
    if used > limit:
        message = OVER_MESSAGES[key]() % values
    else:
        message = LIMIT_MESSAGES[key]() % values
    return PlanLimitReached(message, plan=plan, limit=key, allowed=limit, used=used)


# Functions, so that each message is translated into the language active when it is raised.
LIMIT_MESSAGES = {
    "seats": lambda: _("The %(plan)s plan allows %(limit)s users, open invitations included. "
                       "Upgrade the plan to invite more people."),
    "contacts": lambda: _("The %(plan)s plan allows %(limit)s contacts. Upgrade the plan to add more."),
    "storage": lambda: _("The %(plan)s plan includes %(limit)s MB of file storage and %(used)s MB are used: "
                         "this file does not fit. Upgrade the plan or delete files."),
    "emails": lambda: _("The %(plan)s plan allows %(limit)s e-mails a month and this month's are used up. "
                        "Upgrade the plan to send more."),
    "ai_credits": lambda: _("The %(plan)s plan includes %(limit)s AI credits a month and this month's are "
                            "used up. Upgrade the plan for more."),
}
OVER_MESSAGES = {
    "seats": lambda: _("The workspace has %(used)s users and open invitations, and the %(plan)s plan allows "
                       "%(limit)s. Everyone keeps access, but nobody new can join until you upgrade the plan "
                       "or remove members."),
    "contacts": lambda: _("The workspace has %(used)s contacts and the %(plan)s plan allows %(limit)s. Your "
                          "contacts are kept and can be viewed, changed, exported and deleted, but no new ones "
                          "can be added or imported until you upgrade the plan or delete some."),
    "storage": lambda: _("The workspace stores %(used)s MB of files and the %(plan)s plan includes %(limit)s MB. "
                         "Your files are kept, but no new ones can be uploaded until you upgrade the plan or "
                         "delete some."),
    "emails": lambda: LIMIT_MESSAGES["emails"](),
    "ai_credits": lambda: LIMIT_MESSAGES["ai_credits"](),
}


def _plan_and_contacts(tenant) -> tuple[Plan, int | None]:
    """The plan and, if it limits contacts, their count: one query for a list page. The
    count is a scalar subquery under CASE, which PostgreSQL runs only when it is needed."""
    from django.db.models.expressions import RawSQL

    from tenant_apps.contacts.models import Contact

    table = connection.ops.quote_name(Contact._meta.db_table)
    plan = (
        Plan.objects.filter(tenants__pk=tenant.pk)
        .annotate(contacts_used=RawSQL(
            f"CASE WHEN billing_plan.max_contacts IS NULL THEN NULL ELSE (SELECT count(*) FROM {table}) END", []))
        .get()
    )
    return plan, plan.contacts_used


def entitlement_status(tenant, key: str, *, plan: Plan | None = None) -> dict:
    """For a page: {"limit", "used", "remaining", "over", "full", "message"} of `key`
    (message: the refusal an addition would meet now, else ""). Contacts cost one query
    (run in `tenant`'s schema)."""
    used = None
    if plan is None and key == "contacts" and connection.schema_name == tenant.schema_name:
        plan, used = _plan_and_contacts(tenant)
    plan = plan or plan_of(tenant)
    limit = limit_of(plan, key)
    if limit is None:
        return {"limit": None, "used": None, "remaining": None, "over": False, "full": False, "message": ""}
    if used is None:
        used = usage_of(tenant, key)
    full = used >= limit
    return {
        "limit": limit, "used": used, "remaining": max(0, limit - used), "over": used > limit, "full": full,
        "message": str(limit_error(plan, key, used=used).message) if full else "",
    }


def usage_record_emails(*, tenant, n: int = 1, enforce: bool = True) -> int:
    """Count `n` e-mails sent by `tenant` this month; returns the month's new total.

    enforce=True (mail a workspace sends to its own customers: campaigns, e-mail from a
    record): all `n` or none, PlanLimitReached when they do not fit; call it before the
    messages are written to the outbox and mark each message `usage_counted = True`.
    enforce=False (what the outbox counts by itself: invitations, reminders, sign-in and
    security mail): counted, never refused, because a workspace at its limit must still
    be able to let people in; such mail can take the month's total past the limit, and
    then the enforced sends are refused."""
    if enforce:
        return entitlement_consume(tenant, "emails", n)
    return usage.usage_add(tenant=tenant, counter="emails", n=n, limit=None)


def usage_consume_ai_credits(*, tenant, n: int) -> int:
    """Take `n` AI credits of `tenant`'s month: all or, raising PlanLimitReached, none.
    Returns the month's new total."""
    return entitlement_consume(tenant, "ai_credits", n)
