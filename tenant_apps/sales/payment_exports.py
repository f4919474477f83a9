"""Payments and refunds for the accountant, as CSV or XLSX, through the record exports'
machinery (tenant_apps/records/exports.py): typed dates and amounts, formulas
neutralised (spreadsheet_safe), read in chunks.

Amounts are signed (a refund is negative) so that a column sum is the money kept; the
kind column says which is which."""

from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.records.exports import CHUNK_SIZE, ExportColumn, ListExport

from .models import Payment
from .selectors import PaymentFilters, payment_list


def payment_export_columns() -> list[ExportColumn]:
    return [
        ExportColumn(_("Date"), lambda p: p.paid_on),
        ExportColumn(_("Invoice number"), lambda p: p.document.number),
        ExportColumn(_("Customer"), lambda p: (p.document.customer or {}).get("name", "")),
        ExportColumn(_("Tax ID"), lambda p: (p.document.customer or {}).get("tax_id", "")),
        ExportColumn(_("Method"), lambda p: p.get_method_display()),
        ExportColumn(_("Reference"), lambda p: p.reference),
        ExportColumn(_("Amount"), lambda p: p.signed_amount),
        ExportColumn(_("Currency"), lambda p: p.currency),
        ExportColumn(_("Type"), lambda p: p.get_kind_display()),
    ]


def payment_list_export(*, user, filters: PaymentFilters, file_format: str) -> ListExport:
    """What an export of the payments list holds: the payments `user` sees with these filters, every page."""
    records = payment_list(user=user, filters=filters).iterator(chunk_size=CHUNK_SIZE)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    return ListExport("payment", file_format, payment_export_columns(), records, f"payments-{stamp}.{file_format}",
                      sheet_title=str(Payment._meta.verbose_name_plural))
