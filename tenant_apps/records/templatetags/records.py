"""Template helpers for record lists: query-string links, cells, money, phones."""

import datetime

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tenant_apps.records.custom_fields import custom_value_display
from tenant_apps.records.phones import phone_display

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some keys replaced (None removes a key)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def sort_link(context, key):
    """Link that sorts by `key`, flipping the direction when already sorted by it."""
    current = context["request"].GET.get("sort", "")
    new = f"-{key}" if current == key else key
    return query_with(context, sort=new, page=None)


@register.filter
def phone(value):
    return phone_display(value)


@register.filter
def money(amount, currency=""):
    if amount in (None, ""):
        return ""
    return f"{number_format(amount, 2, force_grouping=True)} {currency}".strip()


@register.simple_tag
def custom_value(record, field):
    return custom_value_display(field, (record.custom or {}).get(field.key))


@register.simple_tag
def seconds_as_duration(seconds):
    seconds = int(seconds or 0)
    days, rest = divmod(seconds, 86400)
    hours = rest // 3600
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    minutes = (rest % 3600) // 60
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


@register.simple_tag
def tag_chips(record):
    return format_html_join("", '<span class="badge">{}</span> ', ((t.name,) for t in record.tags.all()))


class _Urls:
    """Links of many records at the cost of one reverse() per kind: a URL is reversed
    once with a stand-in id and the real ids are put in its place (a list page links
    every row, and reverse() per row is a good part of its rendering time)."""

    STAND_IN = 2147483647

    def __init__(self):
        self._split = {}
        self._labels = {}

    def choice_label(self, record, key) -> str:
        """get_<key>_display() translated once per value rather than once per row."""
        value = getattr(record, key)
        cache_key = (type(record), key, value)
        if cache_key not in self._labels:
            self._labels[cache_key] = str(getattr(record, f"get_{key}_display")())
        return self._labels[cache_key]

    def _pattern(self, key, build):
        if key not in self._split:
            url = build(self.STAND_IN)
            marker = str(self.STAND_IN)
            self._split[key] = url.rpartition(marker) if url.count(marker) == 1 else None
        return self._split[key]

    def detail(self, record) -> str:
        model = type(record)
        pattern = self._pattern(model, lambda pk: model(pk=pk).get_absolute_url())
        if pattern is None:
            return record.get_absolute_url()
        return f"{pattern[0]}{record.pk}{pattern[2]}"

    def named(self, name, *args, pk) -> str:
        pattern = self._pattern((name, *args), lambda stand_in: reverse(name, args=[*args, stand_in]))
        if pattern is None:
            return reverse(name, args=[*args, pk])
        return f"{pattern[0]}{pk}{pattern[2]}"


def _cell(record, column, urls: _Urls):
    key = column.key
    if column.custom is not None:
        return custom_value_display(column.custom, (record.custom or {}).get(column.custom.key))
    if key in ("name", "title"):
        label = str(record) if key == "title" else (record.full_name if hasattr(record, "full_name") else record.name)
        return format_html('<a href="{}"><strong>{}</strong></a>', urls.detail(record), label or str(record))
    if key == "email" and getattr(record, "email", ""):
        return format_html('<a href="mailto:{0}">{0}</a>', record.email)
    if key == "phone" and getattr(record, "phone", ""):
        return format_html('<a href="tel:{}">{}</a>', record.phone, phone_display(record.phone))
    if key == "company" and getattr(record, "company", None):
        return format_html('<a href="{}">{}</a>', urls.detail(record.company), record.company.name)
    if key == "tags":
        return tag_chips(record)
    if key == "owner":
        return str(record.owner.display_name) if record.owner else "—"
    if key == "amount":
        return money(record.amount, record.currency)
    if key == "status":
        css = {"won": "badge-success", "lost": "badge-danger"}.get(record.status, "badge-brand")
        return format_html('<span class="badge {}">{}</span>', css, record.get_status_display())
    if key == "lifecycle_stage":
        return format_html('<span class="badge badge-brand">{}</span>', urls.choice_label(record, "lifecycle_stage"))
    value = getattr(record, key, "")
    if isinstance(value, datetime.datetime):
        return naturaltime(value) if key == "last_activity_at" else date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    display = getattr(record, f"get_{key}_display", None)
    return display() if display else (value if value not in (None, "") else "—")


@register.simple_tag
def cell(record, column):
    """One table cell's content for a record list (links, chips, formatting)."""
    return _cell(record, column, _Urls())


@register.simple_tag(takes_context=True)
def record_rows(context, records, columns, entity, inline_fields=(), can_bulk_change=False):
    """The <tr>s of a record list, built in Python: the same markup as a template loop,
    without its per-node cost (50 rows x 8 columns is 400 cells). Cell content is
    escaped unless it is already safe, as in a template."""
    urls = _Urls()
    inline_fields = inline_fields or ()
    select = escape(_("Select"))
    # Per column, the opening <td> with "{pk}" where the record's id goes (inline-edit cells).
    openings = []
    for column in columns:
        if column.key in inline_fields:
            url = escape(urls.named("records_inline", entity, pk=_Urls.STAND_IN)).replace(str(_Urls.STAND_IN), "{pk}")
            openings.append(f'<td class="inline-cell" data-inline-url="{url}" data-field="{escape(column.key)}">')
        else:
            openings.append("<td>")
    rows = []
    for record in records:
        pk = str(int(record.pk))
        parts = ["<tr>"]
        if can_bulk_change:
            parts.append(f'<td class="check"><input type="checkbox" name="ids" value="{pk}" aria-label="{select}"></td>')
        for column, opening in zip(columns, openings):
            parts.append(opening.replace("{pk}", pk) if opening != "<td>" else opening)
            parts.append(conditional_escape(_cell(record, column, urls)))
            parts.append("</td>")
        parts.append("</tr>")
        rows.append("".join(parts))
    return mark_safe("\n".join(rows))


@register.filter
def get_item(mapping, key):
    """mapping[key] for QueryDicts and dicts, '' when absent."""
    if mapping is None:
        return ""
    value = mapping.get(key, "")
    return "" if value is None else value


@register.simple_tag(takes_context=True)
def quick_create_kinds(context):
    """What the current user may create from the top bar."""
    from tenant_apps.records.quick import quick_kinds_for

    request = context.get("request")
    return quick_kinds_for(request.user) if request is not None else []
