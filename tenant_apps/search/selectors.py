"""Global search: contacts, companies, deals, tasks and notes in one call.

Two steps, so that the work does not grow with the workspace:

1. One query for all types (UNION ALL): per type the full-text match (the generated
   `search` tsvector, GIN index, 'simple' configuration, every word a prefix:
   records.listing.search_query) narrowed by the same visibility as the lists, the first
   `candidates` matches ranked with ts_rank, LIMIT per_type + 1 to know whether there are
   more (no COUNT). Only ids and ranks: no joins, no wide rows. Ranking a bounded set keeps
   a short prefix over 100k contacts as cheap as a rare word; the suggestions under the box
   rank fewer (SUGGEST_CANDIDATES) than the search page.
2. One query per type that has hits: those few rows with what a hit shows (related rows
   joined, only the columns used). A type without hits costs nothing more.

Where pg_trgm is installed (checked once per process), a search that finds little also
looks for names that are merely similar ("Petrvo" finds "Petrov"), through trigram
indexes that migration search/0001 adds then; without it, full-text only.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import SearchRank, TrigramSimilarity
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shared_apps.accounts.rules import can
from tenant_apps.records.listing import search_query
from tenant_apps.records.visibility import visible, visible_activities, visible_tasks

MIN_LENGTH = 2
MAX_LENGTH = 200
# How many matches of one type are ranked; beyond them a search asks for more words.
CANDIDATES = 500
# The same for the suggestions while typing: they show a few hits per type, and a short
# prefix matches thousands of records, so ranking fewer keeps each keystroke cheap.
SUGGEST_CANDIDATES = 100
# Similar names are looked for when full-text search finds fewer hits than this in all.
FUZZY_BELOW = 3
_WORD_CHARS = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    type: str
    id: int
    title: str
    subtitle: str
    url: str
    rank: float


@dataclass
class Group:
    type: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    has_more: bool = False


@dataclass(frozen=True)
class SearchType:
    key: str
    label: object
    perm: str
    queryset: Callable[[object], QuerySet]  # user -> what they may see, related rows joined
    load: Callable[[], QuerySet]  # the rows of hits: related rows joined, only the columns shown
    describe: Callable[[object], tuple[str, str, str]]  # record -> (title, subtitle, url)
    fuzzy_fields: tuple[str, ...] = ()


def _joined(*parts) -> str:
    return " · ".join(str(p) for p in parts if p)


def _contact(contact):
    company = contact.company.name if contact.company_id else ""
    return (contact.full_name or contact.email or f"#{contact.pk}",
            _joined(contact.job_title, company, contact.email), contact.get_absolute_url())


def _company(company):
    return company.name, _joined(company.domain, company.city), company.get_absolute_url()


def _deal(deal):
    amount = f"{formats.number_format(deal.amount, 2, force_grouping=True)} {deal.currency}" if deal.amount is not None else ""
    company = deal.company.name if deal.company_id else ""
    return deal.title, _joined(deal.stage.name, amount, company), deal.get_absolute_url()


def _task(task):
    due = formats.date_format(timezone.localtime(task.due_at), "SHORT_DATETIME_FORMAT") if task.due_at else ""
    return task.title, _joined(task.get_status_display(), due), task.get_absolute_url()


def _note(note):
    record = note.contact or note.company or note.deal
    title = note.subject or Truncator(" ".join(note.body.split())).chars(80)
    return title, str(record), record.get_absolute_url()


def _contacts(user):
    from tenant_apps.contacts.models import Contact

    return visible(Contact.objects.select_related("company"), user)


def _companies(user):
    from tenant_apps.companies.models import Company

    return visible(Company.objects.all(), user)


def _deals(user):
    from tenant_apps.deals.models import Deal

    return visible(Deal.objects.select_related("stage", "company"), user)


def _tasks(user):
    from tenant_apps.tasks.models import Task

    return visible_tasks(Task.objects.all(), user)


def _notes(user):
    from tenant_apps.activities.models import Activity, ActivityKind

    return visible_activities(
        Activity.objects.filter(kind=ActivityKind.NOTE).select_related("contact", "company", "deal"), user
    )


def _load_contacts():
    from tenant_apps.contacts.models import Contact

    return Contact.objects.select_related("company").only(
        "first_name", "last_name", "email", "job_title", "company__name")


def _load_companies():
    from tenant_apps.companies.models import Company

    return Company.objects.only("name", "domain", "city")


def _load_deals():
    from tenant_apps.deals.models import Deal

    return Deal.objects.select_related("stage", "company").only(
        "title", "amount", "currency", "stage__name", "company__name")


def _load_tasks():
    from tenant_apps.tasks.models import Task

    return Task.objects.only("title", "status", "due_at")


def _load_notes():
    from tenant_apps.activities.models import Activity

    return Activity.objects.select_related("contact", "company", "deal").only(
        "subject", "body", "contact__first_name", "contact__last_name", "contact__email", "company__name",
        "deal__title")


# The fixed order of the groups.
SEARCH_TYPES = (
    SearchType("contacts", gettext_lazy("Contacts"), "contacts.view_contact", _contacts, _load_contacts, _contact,
               ("first_name", "last_name")),
    SearchType("companies", gettext_lazy("Companies"), "companies.view_company", _companies, _load_companies,
               _company, ("name",)),
    SearchType("deals", gettext_lazy("Deals"), "deals.view_deal", _deals, _load_deals, _deal, ("title",)),
    SearchType("tasks", gettext_lazy("Tasks"), "workspace.view", _tasks, _load_tasks, _task),
    SearchType("notes", gettext_lazy("Notes"), "workspace.view", _notes, _load_notes, _note),
)
TYPE_KEYS = tuple(t.key for t in SEARCH_TYPES)


def search_problem(text: str) -> str | None:
    """Why `text` cannot be searched for (in the user's language), or None if it can."""
    text = (text or "").strip()
    if not text:
        return _("Type a name, e-mail, phone or word to search for.")
    if len(text) > MAX_LENGTH:
        return _("That is too long to search for: use at most %(count)d characters.") % {"count": MAX_LENGTH}
    if len(_WORD_CHARS.findall(text)) < MIN_LENGTH:
        if _WORD_CHARS.search(text) is None:
            return _("Type letters or digits to search for.")
        return _("Type at least %(count)d letters or digits.") % {"count": MIN_LENGTH}
    if search_query(text, _region()) is None:
        return _("Type letters or digits to search for.")
    return None


def _region() -> str:
    from tenant_apps.workspace.selectors import workspace_phone_region

    return workspace_phone_region()


_trigram_available: dict[str, bool] = {}


def trigram_available() -> bool:
    """Whether pg_trgm is installed in the public schema (asked once per process)."""
    key = connection.alias
    if key not in _trigram_available:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
                " WHERE e.extname = 'pg_trgm' AND n.nspname = 'public')"
            )
            _trigram_available[key] = bool(cursor.fetchone()[0])
    return _trigram_available[key]


def trigram_forget() -> None:
    """Ask again next time (after the extension was created or dropped)."""
    _trigram_available.clear()


def _candidates(matching: QuerySet, count: int = CANDIDATES) -> RawSQL:
    """The ids of the first `count` rows of `matching`. In a materialised CTE so that
    the planner reads the GIN index: with a bare LIMIT it guesses that a rare prefix is
    common and scans the whole table for the first rows (50 ms at 100k contacts for no hit)."""
    sql, params = matching.order_by().values("pk").query.sql_with_params()
    return RawSQL(f"WITH matches AS MATERIALIZED ({sql}) SELECT * FROM matches LIMIT {int(count)}", params)


def _top(search_type: SearchType, user, query, *, candidates: int, offset: int, limit: int) -> tuple[str, list]:
    """SQL for (type, id, rank) of the best `limit` matches from `offset` on: ids only, no
    joins. The matches are a materialised CTE, planned for all its rows so that the planner
    reads the GIN index (with a bare LIMIT it guesses that a rare prefix is common and scans
    the whole table for the first rows: 50 ms at 100k contacts for no hit); its rows are read
    on demand, so ts_rank runs on the first `candidates` only, without reading them again."""
    matching = (
        search_type.queryset(user).filter(search=query).order_by()
        .annotate(hit_id=F("pk"), hit_rank=SearchRank(F("search"), query))
        .values_list("hit_id", "hit_rank")
    )
    sql, params = matching.query.sql_with_params()
    return (
        f"(WITH matches AS MATERIALIZED ({sql}) SELECT %s::text, hit_id, hit_rank"
        f" FROM (SELECT * FROM matches LIMIT {int(candidates)}) AS candidates"
        f" ORDER BY hit_rank DESC, hit_id DESC LIMIT {int(limit)} OFFSET {int(offset)})",
        [*params, search_type.key],
    )


def _ranked(search_types: list[SearchType], user, query, *, candidates: int, offset: int,
            limit: int) -> dict[str, list[tuple[object, float]]]:
    """Per type key, (record, rank) best first: one query for the ids of all types, then
    one per type that has any, for just those rows."""
    parts = [_top(t, user, query, candidates=candidates, offset=offset, limit=limit) for t in search_types]
    if not parts:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(sql for sql, _params in parts),
                       [param for _sql, params in parts for param in params])
        rows = cursor.fetchall()
    top = defaultdict(list)
    for key, pk, rank in rows:
        top[key].append((pk, rank))
    ranked = {}
    for search_type in search_types:
        found = sorted(top.get(search_type.key, []), key=lambda row: (-row[1], -row[0]))
        if found:
            records = search_type.load().order_by().in_bulk([pk for pk, _rank in found])
            ranked[search_type.key] = [(records[pk], rank) for pk, rank in found if pk in records]
    return ranked


def _similar(search_type: SearchType, user, text: str, *, exclude: list[int], limit: int) -> list:
    """Names similar to `text`: the `%` operator (pg_trgm.similarity_threshold, 0.3 by
    default) so that the trigram indexes made by migration search/0001 serve it."""
    condition = Q()
    for name in search_type.fuzzy_fields:
        condition |= Q(TrigramSimilar(F(name), text))
    similarity = [TrigramSimilarity(name, text) for name in search_type.fuzzy_fields]
    score = similarity[0] if len(similarity) == 1 else Greatest(*similarity)
    base = search_type.queryset(user)
    qs = (
        base.filter(pk__in=_candidates(base.filter(condition)))
        .exclude(pk__in=exclude)
        .annotate(rank=score)
        .order_by("-rank", "-pk")
    )
    return list(qs[:limit])


def _hit(search_type: SearchType, record, rank: float) -> Hit:
    title, subtitle, url = search_type.describe(record)
    return Hit(type=search_type.key, id=record.pk, title=title, subtitle=subtitle, url=url, rank=float(rank))


def search_types_for(user, types=None) -> list[SearchType]:
    """The types `user` may search, in the fixed order, limited to `types` if given."""
    return [t for t in SEARCH_TYPES if (not types or t.key in types) and can(user, t.perm)]


def search_global(*, user, text: str, per_type: int = 5, types=None, offset: int = 0,
                  candidates: int = CANDIDATES) -> list[Group]:
    """Groups of hits (best first) in the fixed type order, each knowing whether it has more;
    only records `user` may see, the best of the first `candidates` matches of each type.
    Nothing for a query search_problem() rejects."""
    if search_problem(text) is not None:
        return []
    text = text.strip()
    query = search_query(text, _region())
    per_type = max(1, int(per_type))
    offset = max(0, int(offset))
    candidates = max(per_type + 1, int(candidates))
    search_types = search_types_for(user, types)
    ranked = _ranked(search_types, user, query, candidates=candidates, offset=offset, limit=per_type + 1)
    groups = []
    for search_type in search_types:
        records = ranked.get(search_type.key, [])
        group = Group(type=search_type.key, label=str(search_type.label), has_more=len(records) > per_type)
        group.hits = [_hit(search_type, record, rank) for record, rank in records[:per_type]]
        groups.append((search_type, group))
    found = sum(len(g.hits) for _t, g in groups)
    if offset == 0 and found < FUZZY_BELOW and trigram_available():
        for search_type, group in groups:
            if search_type.fuzzy_fields and len(group.hits) < per_type:
                similar = _similar(search_type, user, text, exclude=[h.id for h in group.hits],
                                   limit=per_type - len(group.hits))
                group.hits += [_hit(search_type, r, r.rank) for r in similar]
    return [group for _t, group in groups]
