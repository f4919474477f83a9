"""The product catalogue: list with search and filters, create and edit with price tiers
and bundle contents, archive. Everyone sees the catalogue; managers change it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.decorators import permission_required
from shared_apps.accounts.rules import can
from tenant_apps.records.errors import RecordError, deny_if_forbidden

from .errors import SalesError
from .forms import BundleFormSet, PriceFormSet, ProductForm, query_text
from .models import Product, TaxRate
from .selectors import product_list
from .services.products import product_archive, product_create, product_update

PAGE_SIZE = 50


@permission_required("sales.view_product")
def product_list_view(request):
    products = product_list()
    q = query_text(request.GET.get("q"))
    if q:
        products = products.filter(Q(sku__icontains=q) | Q(name__icontains=q) | Q(description__icontains=q))
    category = query_text(request.GET.get("category"), 80)
    if category:
        products = products.filter(category=category)
    active = request.GET.get("active", "1")
    if active in ("1", "0"):
        products = products.filter(is_active=active == "1")
    billing = request.GET.get("billing", "")
    if billing in Product.Billing.values:
        products = products.filter(billing=billing)
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "sales/product_list.html", {
        "page": page, "q": q, "category": category, "active": active, "billing": billing,
        "categories": Product.objects.exclude(category="").order_by("category").values_list("category", flat=True).distinct(),
        "billing_choices": Product.Billing.choices, "query": query.urlencode(),
        "can_change": can(request.user, "sales.change_product"), "section": "products",
    })


def _components(product=None):
    components = Product.objects.filter(is_bundle=False).order_by("name", "pk")
    if product is not None:
        components = components.exclude(pk=product.pk)
    return components


def _editor(request, product=None):
    from .services.documents import _workspace_currency

    taxes = list(TaxRate.objects.filter(is_active=True))
    components = list(_components(product))
    new_price = {"currency": _workspace_currency(), "min_quantity": "1"}
    if request.method == "POST":
        form = ProductForm(request.POST, taxes=taxes)
        prices = PriceFormSet(request.POST, prefix="prices", new_row=new_price)
        bundle = BundleFormSet(request.POST, prefix="bundle", form_kwargs_extra={"components": components})
        if form.is_valid() and prices.is_valid() and bundle.is_valid():
            saved = _save(request, form, prices, bundle, product)
            if saved is not None:
                messages.success(request, _("The product has been saved."))
                return redirect("sales_product_list")
    elif product is not None:
        form = ProductForm(initial=ProductForm.initial_for(product), taxes=taxes)
        prices = PriceFormSet(prefix="prices", new_row=new_price, initial=[
            {"currency": p.currency, "min_quantity": p.min_quantity.normalize(), "unit_price": p.unit_price.normalize()}
            for p in product.prices.all()
        ])
        bundle = BundleFormSet(prefix="bundle", form_kwargs_extra={"components": components}, initial=[
            {"component": str(i.component_id), "quantity": i.quantity.normalize()} for i in product.bundle_items.all()
        ])
    else:
        form = ProductForm(initial={"is_active": True, "tax_rates": [str(t.pk) for t in taxes if t.is_default]},
                           taxes=taxes)
        prices = PriceFormSet(prefix="prices", new_row=new_price)
        bundle = BundleFormSet(prefix="bundle", form_kwargs_extra={"components": components})
    return render(request, "sales/product_form.html", {
        "form": form, "prices": prices, "bundle": bundle, "product": product, "section": "products",
        "title": _("Edit %(product)s") % {"product": product.name} if product else _("New product"),
    }, status=400 if request.method == "POST" else 200)


def _save(request, form, prices, bundle, product):
    data = form.service_data()
    price_rows = [{**row, "min_quantity": row.get("min_quantity") or "1"} for row in prices.kept()]
    items = [{"component": int(row["component"]), "quantity": row["quantity"]} for row in bundle.kept()
             if str(row.get("component") or "").isdigit()] if data.get("is_bundle") else []
    try:
        if product is None:
            return product_create(actor=request.user, data=data, prices=price_rows, bundle_items=items)
        return product_update(product=product, actor=request.user, data=data, prices=price_rows, bundle_items=items)
    except SalesError as exc:
        if exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        elif exc.field == "prices":
            prices._non_form_errors = prices.error_class([exc.message])
        elif exc.field == "bundle_items":
            bundle._non_form_errors = bundle.error_class([exc.message])
        else:
            form.add_error(None, exc.message)
    except RecordError as exc:
        deny_if_forbidden(exc)
        form.add_error(None, exc.message)
    return None


@permission_required("sales.change_product")
def product_new(request):
    return _editor(request)


@permission_required("sales.change_product")
def product_edit(request, pk):
    product = get_object_or_404(Product.objects.prefetch_related("prices", "tax_rates", "bundle_items"), pk=pk)
    return _editor(request, product)


@permission_required("sales.change_product")
@require_POST
def product_archive_view(request, pk):
    product = get_object_or_404(Product, pk=pk)
    try:
        product_archive(product=product, actor=request.user)
    except RecordError as exc:
        deny_if_forbidden(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("“%(name)s” has been archived: it stays on documents but leaves the catalogue.")
                         % {"name": product.name})
    return redirect("sales_product_list")
