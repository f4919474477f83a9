"""A task list (one of My tasks, Today, Overdue, Upcoming, Done, All, with its filters)
as CSV or XLSX, through the same export machinery as the record lists
(tenant_apps/records/exports.py): typed dates, formulas neutralised, read in chunks."""

from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.records.exports import CHUNK_SIZE, ExportColumn, ListExport

from .models import Task
from .selectors import linked_record, task_list


def _linked(task) -> str:
    _kind, record = linked_record(task)
    return str(record) if record is not None else ""


def task_export_columns() -> list[ExportColumn]:
    return [
        ExportColumn(_("Title"), lambda t: t.title),
        ExportColumn(_("Status"), lambda t: t.get_status_display()),
        ExportColumn(_("Priority"), lambda t: t.get_priority_display()),
        ExportColumn(_("Due"), lambda t: t.due_at),
        ExportColumn(_("Assignee"), lambda t: str(t.assignee or "")),
        ExportColumn(_("Linked record"), _linked),
        ExportColumn(_("Description"), lambda t: t.description),
        ExportColumn(_("Completed"), lambda t: t.completed_at),
        ExportColumn(_("Created"), lambda t: t.created_at),
    ]


def task_list_export(*, user, scope: str, filters, zone, file_format: str) -> ListExport:
    """What an export of one task list holds: the tasks `user` sees in it, every page."""
    records = task_list(user=user, scope=scope, filters=filters, zone=zone).iterator(chunk_size=CHUNK_SIZE)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    return ListExport("task", file_format, task_export_columns(), records, f"tasks-{scope}-{stamp}.{file_format}",
                      sheet_title=str(Task._meta.verbose_name_plural))
