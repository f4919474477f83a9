"""Lists of records: one grammar of query parameters for the HTML lists, exports, saved
views and the API.

    q=ivan                      full-text, prefix matching ('simple' config: any language)
    owner=me | 12 | none        member fields
    lifecycle_stage=lead        choices (comma for several: lead,customer)
    city=sofia                  text contains (case-insensitive); city__empty=1
    created_at__gte=2026-01-01  dates and numbers: __gte / __lte
    tag=3&tag=5                 has all of these tags
    cf_industry=IT              custom fields: cf_<key>, with the same operators
    sort=-created_at            one sort key, '-' for descending (custom: sort=cf_<key>)
    cols=name,email,owner       visible columns

Each app registers its EntityList (see tenant_apps/contacts/listing.py). Unknown or bad
parameters are reported in ListQuery.problems and otherwise ignored, never a 500.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import FieldDoesNotExist
from django.db.models import DecimalField, F, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Lower
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from .custom_fields import custom_fields_for
from .models import CustomField
from .visibility import visible

COUNT_CAP = 10_000
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
_TOKEN = re.compile(r"[\w@.+-]+", re.UNICODE)


@dataclass(frozen=True)
class FilterDef:
    name: str
    label: object
    kind: str  # text | choice | member | date | number | bool | tag | fk
    path: str = ""
    choices: tuple = ()

    @property
    def orm(self) -> str:
        return self.path or self.name


@dataclass(frozen=True)
class ColumnDef:
    key: str
    label: object
    # Sort keys: comma-separated ORM paths, "lower:path" for case-insensitive (matching the
    # lower(...) indexes); empty if not sortable.
    sort: str = ""
    default: bool = True
    # Plain value for exports.
    value: Callable | None = None


@dataclass
class EntityList:
    entity: str
    model: type
    queryset: Callable[[object], QuerySet]  # user -> base queryset (select/prefetch included)
    filters: dict[str, FilterDef]
    columns: list[ColumnDef]
    default_sort: str
    url_name: str = ""
    perm_view: str = ""

    def column(self, key):
        return next((c for c in self.columns if c.key == key), None)


REGISTRY: dict[str, EntityList] = {}


def entity_list_register(config: EntityList) -> None:
    REGISTRY[config.entity] = config


def entity_list(entity: str) -> EntityList:
    return REGISTRY[entity]


@dataclass
class ListQuery:
    conditions: list = field(default_factory=list)  # (label, Q) pairs, for chips in the UI
    q: str = ""
    sort: str = ""
    columns: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    custom_fields: dict = field(default_factory=dict)
    annotations: dict = field(default_factory=dict)

    @property
    def q_object(self) -> Q:
        result = Q()
        for _label, condition in self.conditions:
            result &= condition
        return result


def _phone_token(token: str, region: str) -> str:
    """A number written the local way (0888 123…, 00359…) as the start of its E.164 form."""
    import phonenumbers

    digits = token.replace("-", "")
    if not digits.lstrip("+").isdigit() or len(digits) < 5:
        return token
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("0") and region:
        return f"+{phonenumbers.country_code_for_region(region)}{digits[1:]}"
    return token


def search_query(text: str, region: str = "") -> SearchQuery | None:
    """Every word as a prefix ('ива' finds 'Иван'), all words required."""
    tokens = [_phone_token(t, region).strip(".-") for t in _TOKEN.findall(text or "")]
    tokens = [t for t in tokens if t.strip("+")][:8]
    if not tokens:
        return None
    raw = " & ".join(f"'{t.replace(chr(39), '')}':*" for t in tokens)
    return SearchQuery(raw, search_type="raw", config="simple")


def _bool(value: str):
    text = (value or "").strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    return None


def _number(value):
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None  # NaN / Infinity cannot be compared


def _date(value):
    try:
        return parse_date(str(value).strip())
    except ValueError:
        return None


def _standard_condition(definition: FilterDef, op: str, value: str, user):
    path = definition.orm
    kind = definition.kind
    if op == "empty":
        flag = _bool(value)
        if flag is None:
            return None
        if kind in ("text",):
            condition = Q(**{path: ""}) | Q(**{f"{path}__isnull": True})
        else:
            condition = Q(**{f"{path}__isnull": True})
        return condition if flag else ~condition
    if kind == "text":
        return Q(**{f"{path}__icontains": value}) if op == "" else None
    if kind == "choice":
        values = [v for v in value.split(",") if v]
        allowed = {str(c[0]) for c in definition.choices} if definition.choices else None
        if allowed is not None and any(v not in allowed for v in values):
            return None
        return Q(**{f"{path}__in": values}) if op in ("", "in") and values else None
    if kind == "member":
        if value == "me":
            return Q(**{f"{path}_id": user.pk})
        if value == "none":
            return Q(**{f"{path}__isnull": True})
        try:
            return Q(**{f"{path}_id": int(value)})
        except ValueError:
            return None
    if kind == "fk":
        try:
            return Q(**{f"{path}__pk": int(value)})
        except ValueError:
            return None
    if kind == "tag":
        try:
            return Q(**{f"{path}__id": int(value)})
        except ValueError:
            return None
    if kind == "bool":
        flag = _bool(value)
        return None if flag is None else Q(**{path: flag})
    if kind in ("date", "number"):
        parsed = _date(value) if kind == "date" else _number(value)
        if parsed is None:
            return None
        lookup = {"": "", "gte": "__gte", "lte": "__lte"}.get(op)
        if lookup is None:
            return None
        if kind == "date" and path.endswith("_at"):
            lookup = {"": "__date", "__gte": "__date__gte", "__lte": "__date__lte"}[lookup]
        return Q(**{f"{path}{lookup}": parsed})
    return None


def _custom_condition(cf: CustomField, op: str, value: str):
    """(Q, aliases) for a custom field filter, or None if the value does not fit.
    Exact matches use JSONB containment (served by the GIN index on `custom`)."""
    path = f"custom__{cf.key}"
    kind = cf.field_type
    if op == "empty":
        flag = _bool(value)
        if flag is None:
            return None
        condition = ~Q(custom__has_key=cf.key)
        return (condition if flag else ~condition), {}
    if kind in (CustomField.Type.TEXT, CustomField.Type.URL):
        return (Q(**{f"{path}__icontains": value}), {}) if op == "" else None
    if kind == CustomField.Type.SELECT and op in ("", "in"):
        values = [v for v in value.split(",") if v]
        condition = Q()
        for v in values:
            condition |= Q(custom__contains={cf.key: v})
        return (condition, {}) if values else None
    if kind == CustomField.Type.MULTISELECT and op == "":
        return Q(custom__contains={cf.key: [value]}), {}
    if kind == CustomField.Type.BOOLEAN and op == "":
        flag = _bool(value)
        return None if flag is None else (Q(custom__contains={cf.key: flag}), {})
    if kind in (CustomField.Type.NUMBER, CustomField.Type.DATE) and op in ("", "gte", "lte"):
        if kind == CustomField.Type.NUMBER:
            parsed = _number(value)
            alias, expression = f"cf_num_{cf.key}", Cast(KT(path), DecimalField(max_digits=30, decimal_places=10))
        else:
            parsed = _date(value)
            parsed = parsed.isoformat() if parsed else None
            # ISO dates compare correctly as text.
            alias, expression = f"cf_txt_{cf.key}", KT(path)
        if parsed is None:
            return None
        lookup = {"": "exact", "gte": "gte", "lte": "lte"}[op]
        return Q(**{f"{alias}__{lookup}": parsed}), {alias: expression}
    return None


def list_query_parse(config: EntityList, params, user) -> ListQuery:
    """Turn query parameters into a ListQuery; what cannot be understood is reported."""
    query = ListQuery()
    customs = {cf.key: cf for cf in custom_fields_for(config.entity)}
    query.custom_fields = customs
    annotations = {}
    for raw_key in params.keys():
        if raw_key in ("q", "sort", "cols", "page", "size", "view", "format", "cursor"):
            continue
        name, _sep, op = raw_key.partition("__")
        for value in params.getlist(raw_key):
            value = (value or "").strip()
            if value == "":
                continue
            result = None
            if name.startswith("cf_") and name[3:] in customs:
                cf = customs[name[3:]]
                found = _custom_condition(cf, op, value)
                if found is not None:
                    result, aliases = found
                    annotations.update(aliases)
                label = cf.label
            elif name in config.filters:
                result = _standard_condition(config.filters[name], op, value, user)
                label = config.filters[name].label
            else:
                query.problems.append(_("Unknown filter “%(name)s” was ignored.") % {"name": raw_key})
                continue
            if result is None:
                query.problems.append(_("“%(value)s” is not a valid value for %(label)s.") % {"value": value, "label": label})
                continue
            query.conditions.append((f"{label}: {value}", result))
    query.annotations = annotations
    query.q = (params.get("q") or "").strip()[:200]
    sort = (params.get("sort") or "").strip()
    key = sort.lstrip("-")
    column = config.column(key)
    if sort and not ((column and column.sort) or (key.startswith("cf_") and key[3:] in customs)):
        query.problems.append(_("Cannot sort by “%(name)s”.") % {"name": key})
        sort = ""
    query.sort = sort
    cols = [c for c in (params.get("cols") or "").split(",") if config.column(c)]
    query.columns = cols or [c.key for c in config.columns if c.default]
    return query


def _region() -> str:
    from tenant_apps.workspace.selectors import workspace_phone_region

    return workspace_phone_region()


def _sort_expression(part: str):
    part = part.strip()
    if part.startswith("lower:"):
        return Lower(F(part[6:]))
    return F(part)


def _may_be_null(model, part: str) -> bool:
    """Whether the sort path can be NULL (a nullable field, or one across a nullable
    relation). Only those sort with NULLS LAST: on a NOT NULL column it would stop
    PostgreSQL from reading the sort out of an index such as (-created_at, -id)."""
    path = part.strip().removeprefix("lower:").split("__")
    for name in path:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # an annotation: keep NULLS LAST to be safe
            return True
        if field.null:
            return True
        if field.is_relation:
            model = field.related_model
    return False


def list_queryset(config: EntityList, user, query: ListQuery) -> QuerySet:
    """The records `user` may see that match `query`, in order (ties broken by id)."""
    qs = visible(config.queryset(user), user)
    if query.annotations:
        qs = qs.alias(**query.annotations)
    for _label, condition in query.conditions:
        qs = qs.filter(condition)
    ordering = []
    search = search_query(query.q, _region())
    if query.q and search is None:
        return qs.none()
    if search is not None:
        qs = qs.filter(search=search)
        if not query.sort:
            qs = qs.annotate(rank=SearchRank(F("search"), search))
            ordering.append(F("rank").desc())
    sort = query.sort or (config.default_sort if search is None else "")
    if sort:
        descending = sort.startswith("-")
        key = sort.lstrip("-")
        if key.startswith("cf_"):
            cf = query.custom_fields[key[3:]]
            expression = KT(f"custom__{cf.key}")
            if cf.field_type == CustomField.Type.NUMBER:
                expression = Cast(expression, DecimalField(max_digits=30, decimal_places=10))
            expressions = [(expression, True)]
        else:
            expressions = [(_sort_expression(part), _may_be_null(config.model, part))
                           for part in config.column(key).sort.split(",")]
        for expression, nullable in expressions:
            nulls = {"nulls_last": True} if nullable else {}
            ordering.append(expression.desc(**nulls) if descending else expression.asc(**nulls))
    ordering.append(F("pk").desc() if sort.startswith("-") else F("pk").asc())
    return qs.order_by(*ordering)


@dataclass
class ListPage:
    records: list
    number: int
    size: int
    count: int
    count_capped: bool
    has_next: bool
    has_previous: bool

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.size))


def list_page(qs: QuerySet, *, page=1, size=DEFAULT_PAGE_SIZE) -> ListPage:
    """One page of `qs`; the total is counted up to COUNT_CAP (then shown as 10,000+)."""
    try:
        size = max(1, min(MAX_PAGE_SIZE, int(size)))
    except (TypeError, ValueError):
        size = DEFAULT_PAGE_SIZE
    try:
        number = max(1, int(page))
    except (TypeError, ValueError):
        number = 1
    count = qs.order_by()[: COUNT_CAP + 1].count()
    capped = count > COUNT_CAP
    count = min(count, COUNT_CAP)
    last_page = max(1, -(-count // size))
    number = min(number, last_page)
    start = (number - 1) * size
    records = list(qs[start : start + size])
    return ListPage(
        records=records, number=number, size=size, count=count, count_capped=capped,
        has_next=capped or start + size < count, has_previous=number > 1,
    )
