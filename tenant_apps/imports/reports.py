"""The downloadable error report of an import: one CSV line per row that did not pass,
with its number, its values and the messages; safe to open in a spreadsheet."""

import csv
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from tenant_apps.records.exports import spreadsheet_safe


def row_messages(errors: dict, labels: dict) -> str:
    parts = []
    for field, message in errors.items():
        label = labels.get(field) or labels.get(field.removeprefix("custom.")) or field
        parts.append(f"{label}: {message}")
    return " ".join(parts)


def error_report_write(*, path: str, headers: list[str], rows, labels: dict) -> str:
    """Write the report of `rows` (CleanRow with errors) to storage at `path`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([spreadsheet_safe(c) for c in (_("Row"), *headers, _("Messages"))])
    for row in rows:
        cells = list(row.cells) + [""] * (len(headers) - len(row.cells))
        writer.writerow([row.number, *(spreadsheet_safe(c) for c in cells), spreadsheet_safe(row_messages(row.errors, labels))])
    if default_storage.exists(path):
        default_storage.delete(path)
    # UTF-8 with a BOM, so that Excel shows Cyrillic correctly.
    return default_storage.save(path, ContentFile(("\ufeff" + buffer.getvalue()).encode("utf-8")))
