"""Reading tasks: the lists (My tasks, Today, Overdue, Upcoming, Done, All) with their
filters, the counts for the tabs and the dashboard, a record's tasks, and the records a
task can be linked to. Days are the workspace's days (its time zone)."""

import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import connection
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shared_apps.accounts.models import Membership
from shared_apps.accounts.rules import can
from tenant_apps.records.listing import search_query
from tenant_apps.records.rules import sees_only_own
from tenant_apps.records.visibility import visible, visible_tasks

from .models import Task
from .services import can_change_task

SCOPES = ("mine", "today", "overdue", "upcoming", "done", "all")
SCOPE_LABELS = {
    "mine": gettext_lazy("My tasks"),
    "today": gettext_lazy("Today"),
    "overdue": gettext_lazy("Overdue"),
    "upcoming": gettext_lazy("Upcoming"),
    "done": gettext_lazy("Done"),
    "all": gettext_lazy("All"),
}
RECORD_TYPES = ("contact", "company", "deal")
RECORD_LABELS = {
    "contact": gettext_lazy("Contact"),
    "company": gettext_lazy("Company"),
    "deal": gettext_lazy("Deal"),
}
RELATED = ("assignee", "contact", "company", "deal")


# --- the workspace's clock ----------------------------------------------------------


def workspace_zone() -> zoneinfo.ZoneInfo:
    """The workspace's time zone (see tenant_apps.workspace.selectors)."""
    from tenant_apps.workspace.selectors import workspace_timezone

    return workspace_timezone()


def request_zone(request) -> zoneinfo.ZoneInfo:
    """workspace_zone(), looked up once per request."""
    zone = getattr(request, "_workspace_zone", None)
    if zone is None:
        zone = request._workspace_zone = workspace_zone()
    return zone


def day_bounds(zone, now=None) -> tuple[datetime, datetime]:
    """Start of today and of tomorrow in `zone` (aware datetimes)."""
    today = timezone.localtime(now or timezone.now(), zone).date()
    start = timezone.make_aware(datetime.combine(today, time.min), zone)
    end = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min), zone)
    return start, end


# --- lists --------------------------------------------------------------------------


@dataclass
class TaskFilters:
    """The list's query: ?assignee=me|any|none|<user id>&priority=1..4&record=contact|company|deal|none"""

    assignee: object = "me"
    priority: int | None = None
    record: str = ""
    problems: list = field(default_factory=list)

    def as_params(self) -> dict:
        params = {"assignee": self.assignee}
        if self.priority:
            params["priority"] = self.priority
        if self.record:
            params["record"] = self.record
        return params


def default_assignee(scope: str) -> str:
    return "any" if scope == "all" else "me"


def task_filters_parse(params, *, scope: str) -> TaskFilters:
    """Read the filters from a query dict. A value that makes no sense is reported in
    `problems` and ignored, never an error page."""
    filters = TaskFilters(assignee=default_assignee(scope))
    assignee = (params.get("assignee") or "").strip()
    if assignee and scope != "mine":
        if assignee in ("me", "any", "none"):
            filters.assignee = assignee
        elif assignee.isdigit():
            filters.assignee = int(assignee)
        else:
            filters.problems.append(_("Unknown assignee “%(value)s”: showing your tasks.") % {"value": assignee[:40]})
    priority = (params.get("priority") or "").strip()
    if priority:
        if priority.isdigit() and int(priority) in Task.Priority.values:
            filters.priority = int(priority)
        else:
            filters.problems.append(_("Unknown priority “%(value)s”: ignored.") % {"value": priority[:40]})
    record = (params.get("record") or "").strip()
    if record:
        if record in (*RECORD_TYPES, "none"):
            filters.record = record
        else:
            filters.problems.append(_("Unknown record type “%(value)s”: ignored.") % {"value": record[:40]})
    return filters


def _scope_condition(scope: str, zone, now) -> Q:
    is_open = Q(status=Task.Status.OPEN)
    if scope == "mine":
        return is_open
    if scope == "today":
        start, end = day_bounds(zone, now)
        return is_open & Q(due_at__gte=start, due_at__lt=end)
    if scope == "overdue":
        return is_open & Q(due_at__lt=now)
    if scope == "upcoming":
        _start, end = day_bounds(zone, now)
        return is_open & Q(due_at__gte=end)
    if scope == "done":
        return Q(status=Task.Status.DONE)
    return Q()


def _ordering(scope: str):
    if scope == "done":
        return [F("completed_at").desc(nulls_last=True), "-pk"]
    if scope == "all":
        return ["status", F("due_at").asc(nulls_last=True), "-priority", "pk"]
    return [F("due_at").asc(nulls_last=True), "-priority", "pk"]


def task_list(*, user, scope: str, filters: TaskFilters, zone, now=None):
    """The tasks of one list as `user` may see them, with assignee and linked record
    fetched in the same query."""
    now = now or timezone.now()
    queryset = visible_tasks(Task.objects.all(), user).filter(_scope_condition(scope, zone, now))
    if scope == "mine" or filters.assignee == "me":
        queryset = queryset.filter(assignee=user)
    elif filters.assignee == "none":
        queryset = queryset.filter(assignee__isnull=True)
    elif isinstance(filters.assignee, int):
        queryset = queryset.filter(assignee_id=filters.assignee)
    if filters.priority:
        queryset = queryset.filter(priority=filters.priority)
    if filters.record == "none":
        queryset = queryset.filter(contact__isnull=True, company__isnull=True, deal__isnull=True)
    elif filters.record:
        queryset = queryset.filter(**{f"{filters.record}__isnull": False})
    return queryset.select_related(*RELATED).order_by(*_ordering(scope))


def may_see_all_tasks(user) -> bool:
    """The "All" list is for members who see every record (not restricted sales reps)."""
    return can(user, "workspace.view") and not sees_only_own(user)


def task_counts(*, user, zone, now=None) -> dict:
    """How many of `user`'s open tasks are due today and overdue (one query)."""
    now = now or timezone.now()
    start, end = day_bounds(zone, now)
    return Task.objects.filter(assignee=user, status=Task.Status.OPEN).aggregate(
        today=Count("pk", filter=Q(due_at__gte=start, due_at__lt=end)),
        overdue=Count("pk", filter=Q(due_at__lt=now)),
    )


def task_get(*, user, pk) -> Task | None:
    """The task `pk` if `user` may see it."""
    return visible_tasks(Task.objects.all(), user).select_related(*RELATED, "created_by", "completed_by").filter(pk=pk).first()


def tasks_annotate(tasks, *, user, now=None) -> list:
    """Per-row flags for templates: can_change, overdue."""
    now = now or timezone.now()
    tasks = list(tasks)
    for task in tasks:
        task.can_change = can_change_task(user, task)
        task.overdue = task.is_overdue_at(now)
    return tasks


def tasks_for_record(user, contact=None, company=None, deal=None, *, open_limit=100, done_limit=5) -> list:
    """The open tasks (soonest first) and the latest done ones linked to one record, as
    `user` may see them; two queries whatever their number."""
    given = {name: record for name, record in (("contact", contact), ("company", company), ("deal", deal)) if record is not None}
    if len(given) != 1:
        raise ValueError("tasks_for_record needs exactly one of contact, company, deal")
    base = visible_tasks(Task.objects.filter(**given), user).select_related("assignee")
    open_tasks = base.filter(status=Task.Status.OPEN).order_by(F("due_at").asc(nulls_last=True), "-priority", "pk")
    done_tasks = base.filter(status=Task.Status.DONE).order_by(F("completed_at").desc(nulls_last=True), "-pk")
    return tasks_annotate([*open_tasks[:open_limit], *done_tasks[:done_limit]], user=user)


# --- members and linkable records ----------------------------------------------------


def assignable_members():
    """Members of the current workspace, by name (the assignee choices)."""
    tenant = connection.tenant
    return (
        Membership.objects.filter(tenant_id=tenant.pk, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def _record_models():
    from tenant_apps.companies.models import Company
    from tenant_apps.contacts.models import Contact
    from tenant_apps.deals.models import Deal

    return {"contact": Contact, "company": Company, "deal": Deal}


def link_value(record) -> str:
    """"contact:12" for a contact, and so on ("" for None)."""
    if record is None:
        return ""
    return f"{record._meta.model_name}:{record.pk}"


def link_parse(value) -> tuple[str, int] | None:
    """("contact", 12) from "contact:12"; None if it is not of that form."""
    kind, _sep, pk = str(value or "").partition(":")
    if kind in RECORD_TYPES and pk.isdigit() and len(pk) < 19:
        return kind, int(pk)
    return None


def link_label(kind: str, record) -> str:
    return f"{RECORD_LABELS[kind]}: {record}"


def linked_record(task):
    """(kind, record) of the task's linked record, or (None, None)."""
    for kind in RECORD_TYPES:
        if getattr(task, f"{kind}_id"):
            return kind, getattr(task, kind)
    return None, None


def linkable_record(*, user, value):
    """The record behind a link value if `user` may see it, else None."""
    parsed = link_parse(value)
    if parsed is None:
        return None
    kind, pk = parsed
    record = visible(_record_models()[kind].objects.all(), user).filter(pk=pk).first()
    if record is None or not can(user, f"{record._meta.app_label}.view_{kind}", record):
        return None
    return record


def linkable_records(*, user, q: str, limit: int = 8) -> list[tuple[str, str]]:
    """Contacts, companies and deals matching `q` that `user` may see, as
    (link value, label) pairs for the "linked record" select."""
    query = search_query(q)
    if query is None:
        return []
    results = []
    for kind, model in _record_models().items():
        for record in visible(model.objects.all(), user).filter(search=query).order_by("-pk")[:limit]:
            results.append((link_value(record), link_label(kind, record)))
    return results
