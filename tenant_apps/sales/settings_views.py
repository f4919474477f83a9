"""Settings → Sales: numbering, defaults, bank details, reminders, and tax rates."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.decorators import permission_required
from tenant_apps.records.errors import RecordError, deny_if_forbidden

from .document_selectors import number_preview
from .errors import SalesError
from .forms import SalesSettingsForm, TaxRateForm
from .models import DocumentKind, TaxRate
from .selectors import sales_settings
from .services.settings import sales_settings_update
from .services.tax_rates import tax_rate_create, tax_rate_delete, tax_rate_update

FORMAT_FIELDS = (
    ("offer_number_format", DocumentKind.OFFER),
    ("invoice_number_format", DocumentKind.INVOICE),
    ("credit_note_number_format", DocumentKind.CREDIT_NOTE),
)


def _previews(row) -> dict:
    previews = {}
    for field, kind in FORMAT_FIELDS:
        previews[field] = number_preview(kind=kind, fmt=getattr(row, field))
    return previews


def _page(request, form, tax_form, status=200):
    row = sales_settings()
    taxes = TaxRate.objects.annotate(product_count=Count("products"))
    return render(request, "sales/settings.html", {
        "section": "sales", "form": form, "tax_form": tax_form, "taxes": taxes, "previews": _previews(row),
    }, status=status)


def _apply(form, exc: SalesError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@permission_required("sales.change_settings")
def sales_settings_view(request):
    row = sales_settings()
    form = SalesSettingsForm(request.POST or None, initial=SalesSettingsForm.initial_for(row))
    if request.method == "POST" and form.is_valid():
        try:
            sales_settings_update(actor=request.user, data=form.cleaned_data)
        except SalesError as exc:
            _apply(form, exc)
        except RecordError as exc:
            deny_if_forbidden(exc)
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The sales settings have been saved."))
            return redirect("sales_settings")
    return _page(request, form, TaxRateForm(prefix="tax"), status=400 if form.errors else 200)


@permission_required("sales.change_settings")
@require_POST
def tax_rate_new(request):
    form = TaxRateForm(request.POST, prefix="tax")
    if form.is_valid():
        try:
            tax = tax_rate_create(actor=request.user, data=form.cleaned_data)
        except SalesError as exc:
            _apply(form, exc)
        except RecordError as exc:
            deny_if_forbidden(exc)
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The tax rate “%(name)s” has been added.") % {"name": tax.name})
            return redirect("sales_settings")
    row = sales_settings()
    return _page(request, SalesSettingsForm(initial=SalesSettingsForm.initial_for(row)), form, status=400)


@permission_required("sales.change_settings")
def tax_rate_edit(request, pk):
    tax = get_object_or_404(TaxRate, pk=pk)
    form = TaxRateForm(request.POST or None, initial={
        "name": tax.name, "rate": tax.rate.normalize(), "is_default": tax.is_default, "is_active": tax.is_active,
    })
    if request.method == "POST" and form.is_valid():
        try:
            tax_rate_update(tax_rate=tax, actor=request.user, data=form.cleaned_data)
        except SalesError as exc:
            _apply(form, exc)
        except RecordError as exc:
            deny_if_forbidden(exc)
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The tax rate has been saved."))
            return redirect("sales_settings")
    return render(request, "sales/settings_tax_rate.html", {"section": "sales", "tax": tax, "form": form,
                                                            "in_use": tax.products.exists()},
                  status=400 if form.errors else 200)


@permission_required("sales.change_settings")
@require_POST
def tax_rate_delete_view(request, pk):
    tax = get_object_or_404(TaxRate, pk=pk)
    try:
        deleted = tax_rate_delete(tax_rate=tax, actor=request.user)
    except RecordError as exc:
        deny_if_forbidden(exc)
        messages.error(request, exc.message)
        return redirect("sales_settings")
    if deleted:
        messages.success(request, _("The tax rate has been deleted."))
    else:
        messages.success(request, _("Products use this tax rate, so it has been archived instead of deleted."))
    return redirect("sales_settings")
