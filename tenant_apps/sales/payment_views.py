"""The payments list (/sales/payments/: filters, totals per currency) and its export for
the accountant (/sales/payments/export/, managers and up, written to the security log)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from shared_apps.accounts.decorators import permission_required
from shared_apps.accounts.rules import can
from tenant_apps.records.export_views import export_response
from tenant_apps.records.exports import FORMATS, list_export_record

from .models import Payment
from .payment_exports import payment_list_export
from .selectors import payment_currencies, payment_filters_parse, payment_list, payment_totals

PAGE_SIZE = 50


@permission_required("sales.view_document")
def payment_list_view(request):
    filters = payment_filters_parse(request.GET)
    payments = payment_list(user=request.user, filters=filters)
    page = Paginator(payments, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "sales/payment_list.html", {
        "page": page,
        "payments": page.object_list,
        "filters": filters,
        "totals": payment_totals(payments),
        "methods": Payment.Method.choices,
        "kinds": Payment.Kind.choices,
        "currencies": payment_currencies(),
        "query_string": params.urlencode(),
        "can_export": can(request.user, "records.export"),
    })


@permission_required("records.export")
def payment_export_view(request):
    """The filtered payments, every page, as CSV (default) or XLSX."""
    params = request.GET.copy()
    file_format = params.pop("format", ["csv"])[-1]
    params.pop("page", None)
    if file_format not in FORMATS:
        messages.error(request, _("Choose CSV or Excel (XLSX) to export."))
        return redirect(f"{reverse('sales_payment_list')}?{params.urlencode()}")
    filters = payment_filters_parse(params)
    if filters.problems:
        for problem in filters.problems:
            messages.error(request, problem)
        return redirect(f"{reverse('sales_payment_list')}?{params.urlencode()}")
    list_export_record(entity="payment", file_format=file_format, query_string=params.urlencode(),
                       actor=request.user, request=request)
    return export_response(payment_list_export(user=request.user, filters=filters, file_format=file_format))
