"""Export of a filtered record list as CSV or XLSX.

The rows are exactly the list's (list_query_parse + list_queryset: the same filters,
search, sort and visibility, every page), the columns the list shows (or all of them,
custom fields included), each read through ColumnDef.value. Records are read in chunks
with their related rows prefetched per chunk, so the number of queries grows with the
number of chunks, never with each row.

Spreadsheet formula injection: a text cell starting with = + - @, a tab or a carriage
return gets a leading apostrophe. Numbers and dates stay typed in XLSX.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shared_apps.accounts.rules import can
from shared_apps.audit.models import EventKind
from shared_apps.audit.services import security_event_record

from .errors import RecordPermissionError
from .listing import ColumnDef, EntityList, ListQuery, entity_list, list_query_parse, list_queryset
from .models import CustomField

EXPORT_ENTITIES = ("contact", "company", "deal")
FILE_NAMES = {"contact": "contacts", "company": "companies", "deal": "deals"}
FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 500
NEUTRALISE = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def spreadsheet_safe(value) -> str:
    """Text a spreadsheet will show, never run: a leading apostrophe before = + - @ tab CR.
    Every CSV/XLSX the app writes (list exports, timelines, import error reports) uses it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(NEUTRALISE) else text


@dataclass(frozen=True)
class ExportColumn:
    label: str
    value: Callable  # record -> str | int | float | Decimal | date | datetime | bool | None


# Where a list shows a formatted value, an export gives the typed one (a number stays a
# number in a spreadsheet), with the currency in a column of its own.
def _deal_amount_columns(column: ColumnDef) -> list[ExportColumn]:
    return [ExportColumn(str(column.label), lambda d: d.amount), ExportColumn(_("Currency"), lambda d: d.currency)]


TYPED_COLUMNS = {("deal", "amount"): _deal_amount_columns}


def _custom_value(field: CustomField):
    def read(record):
        raw = (record.custom or {}).get(field.key)
        if raw is None or raw == "":
            return None
        if field.field_type == CustomField.Type.DATE:
            try:
                return datetime.date.fromisoformat(str(raw))
            except ValueError:
                return str(raw)
        if field.field_type == CustomField.Type.NUMBER:
            return raw if isinstance(raw, int | float) and not isinstance(raw, bool) else str(raw)
        if field.field_type == CustomField.Type.BOOLEAN:
            return bool(raw)
        if isinstance(raw, list):
            return ", ".join(str(v) for v in raw)
        return str(raw)

    return read


def export_columns(config: EntityList, query: ListQuery, params, *, every_column: bool = False) -> list[ExportColumn]:
    """The list's columns (chosen with cols=, or its defaults), or every column and custom field."""
    keys = [c.key for c in config.columns] if every_column else query.columns
    chosen = set((params.get("cols") or "").split(","))
    columns = []
    for key in keys:
        column = config.column(key)
        if column is None or column.value is None:
            continue
        typed = TYPED_COLUMNS.get((config.entity, key))
        columns += typed(column) if typed else [ExportColumn(str(column.label), column.value)]
    for field in query.custom_fields.values():
        if every_column or f"cf_{field.key}" in chosen:
            columns.append(ExportColumn(field.label, _custom_value(field)))
    return columns


@dataclass
class ListExport:
    entity: str
    file_format: str
    columns: list[ExportColumn]
    records: Iterator
    filename: str
    sheet_title: str = ""


def list_export(*, entity: str, params, user, file_format: str, every_column: bool = False) -> ListExport:
    """What a list export holds: the records `user` sees in the list described by `params`."""
    config = entity_list(entity)
    query = list_query_parse(config, params, user)
    columns = export_columns(config, query, params, every_column=every_column)
    records = list_queryset(config, user, query).iterator(chunk_size=CHUNK_SIZE)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    return ListExport(entity, file_format, columns, records, f"{FILE_NAMES[entity]}-{stamp}.{file_format}")


def list_export_record(*, entity: str, file_format: str, query_string: str, actor, request=None) -> None:
    """Check that `actor` may export lists and write the export to the security log."""
    if not can(actor, "records.export"):
        raise RecordPermissionError()
    security_event_record(
        kind=EventKind.DATA_EXPORTED, request=request, actor=actor, tenant=connection.tenant,
        what=f"{entity}_list", format=file_format, query=query_string[:1000],
    )


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.isoformat(" ")
    if isinstance(value, datetime.date | int | float | Decimal):
        return str(value) if not isinstance(value, datetime.date) else value.isoformat()
    return spreadsheet_safe(str(value))


class _Echo:
    def write(self, value):
        return value


def _in_context(export_rows: Callable[[], Iterator]) -> Iterator:
    """Rows made later (while the response streams) in the request's language and time zone."""
    language, zone = translation.get_language(), timezone.get_current_timezone()

    def rows():
        with translation.override(language), timezone.override(zone):
            yield from export_rows()

    return rows()


def csv_chunks(export: ListExport) -> Iterator[str]:
    """CSV lines, UTF-8 with a byte-order mark so that Excel reads Cyrillic."""
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow([spreadsheet_safe(c.label) for c in export.columns])
        for record in export.records:
            yield writer.writerow([_csv_text(c.value(record)) for c in export.columns])

    return _in_context(rows)


def _xlsx_value(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.make_naive(value) if timezone.is_aware(value) else value
    if isinstance(value, bool | int | float | Decimal | datetime.date):
        return value
    return spreadsheet_safe(str(value))


def xlsx_bytes(export: ListExport) -> bytes:
    """The workbook, written row by row (openpyxl's write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    title = export.sheet_title or str(entity_list(export.entity).model._meta.verbose_name_plural)
    sheet = book.create_sheet(title=title.capitalize()[:31])
    sheet.append([spreadsheet_safe(c.label) for c in export.columns])
    for record in export.records:
        row = []
        for column in export.columns:
            value = _xlsx_value(column.value(record))
            if isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(value, datetime.datetime) else "yyyy-mm-dd"
                value = cell
            row.append(value)
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
