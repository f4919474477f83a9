"""Cursor (keyset) pagination over any ordered queryset, including the list engine's
orders on expressions (lower(name), a custom field, search rank): the cursor holds the
sort values of the last row sent, signed, and the next page is the rows after it. No
COUNT, one query per page whatever the page size, and no row is skipped or repeated when
rows are added in front while a client pages through."""

from datetime import date, datetime
from decimal import Decimal

from django.core import signing
from django.core.exceptions import FieldError
from django.db.models import F, FloatField, OrderBy, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from config.errors import UserFacingError

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
_SALT = "tessera.api.cursor"


class InvalidCursor(UserFacingError):
    code = "invalid_cursor"
    default_message = _("This cursor is not valid; start again from the first page.")


def _json(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _orderings(queryset) -> list[OrderBy]:
    result = []
    for item in queryset.query.order_by:
        if isinstance(item, str):
            descending = item.startswith("-")
            item = OrderBy(F(item.lstrip("-")), descending=descending)
        elif not isinstance(item, OrderBy):
            item = OrderBy(item)
        result.append(item)
    return result


def _exact(expression, queryset):
    """Float sort keys (a search rank is a 4-byte real) as double precision, so the value
    in the cursor compares equal to the row it came from."""
    target = expression
    if isinstance(expression, F):
        target = queryset.query.annotations.get(expression.name)
        if target is None:
            return expression  # a plain column, compared as stored
    try:
        is_float = isinstance(target.output_field, FloatField)
    except (AttributeError, FieldError):
        return expression
    return Cast(expression, FloatField()) if is_float else expression


def _after(alias: str, ordering: OrderBy, value) -> Q:
    """Rows whose `alias` comes strictly after `value` in this ordering."""
    nulls_last = ordering.nulls_last or (not ordering.nulls_first and not ordering.descending)
    if value is None:
        # After a null come only other nulls (ordered by the tie-breakers), or, when
        # nulls sort first, every non-null value.
        return Q(pk__in=[]) if nulls_last else Q(**{f"{alias}__isnull": False})
    condition = Q(**{f"{alias}__{'lt' if ordering.descending else 'gt'}": value})
    if nulls_last:
        condition |= Q(**{f"{alias}__isnull": True})
    return condition


def _equal(alias: str, value) -> Q:
    return Q(**{f"{alias}__isnull": True}) if value is None else Q(**{alias: value})


class KeysetPagination(BasePagination):
    """?size=1..200 (default 50) and ?cursor=<from the previous page's `next`>.
    The queryset must be ordered and end its ordering on the primary key."""

    page_size_query_param = "size"
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.size = self._size(request)
        orderings = _orderings(queryset)
        aliases = {f"_k{i}": _exact(o.expression, queryset) for i, o in enumerate(orderings)}
        queryset = queryset.annotate(**aliases)
        raw = request.query_params.get(self.cursor_query_param)
        if raw:
            try:
                values = signing.loads(raw, salt=_SALT)
            except signing.BadSignature as exc:
                raise InvalidCursor() from exc
            if not isinstance(values, list) or len(values) != len(orderings):
                raise InvalidCursor()
            condition = Q(pk__in=[])
            prefix = Q()
            for index, ordering in enumerate(orderings):
                alias = f"_k{index}"
                condition |= prefix & _after(alias, ordering, values[index])
                prefix &= _equal(alias, values[index])
            queryset = queryset.filter(condition)
        rows = list(queryset[: self.size + 1])
        self.has_next = len(rows) > self.size
        rows = rows[: self.size]
        self.next_values = [_json(getattr(rows[-1], alias)) for alias in aliases] if rows and self.has_next else None
        return rows

    def _size(self, request) -> int:
        try:
            return max(1, min(MAX_PAGE_SIZE, int(request.query_params.get(self.page_size_query_param, DEFAULT_PAGE_SIZE))))
        except (TypeError, ValueError):
            return DEFAULT_PAGE_SIZE

    def get_next_link(self):
        if not self.next_values:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, signing.dumps(self.next_values, salt=_SALT))

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {"type": "string", "format": "uri", "nullable": True,
                         "description": "The next page, or null on the last one."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.cursor_query_param, "in": "query", "required": False, "schema": {"type": "string"},
             "description": "Opaque cursor from the previous page's `next`."},
            {"name": self.page_size_query_param, "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
             "description": "Records per page."},
        ]

