"""Sales resources of the REST API: thin adapters over the sales selectors and services
(door "api"). Lists are filtered with django-filter and paged by the API's keyset cursor;
errors (SalesError, record errors) reach the client in the API's one error shape."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from shared_apps.accounts.rules import can
from tenant_apps.companies.selectors import company_get
from tenant_apps.contacts.selectors import contact_get
from tenant_apps.deals.selectors import deal_get
from tenant_apps.records.errors import RecordNotFound, RecordPermissionError, RecordValidationError
from tenant_apps.records.services import resolve_member

from .. import selectors
from ..models import Document, DocumentKind, DocumentStatus, Payment, Product, TaxRate
from ..services import documents as document_services
from ..services.payments import payment_record, payment_refund
from ..services.products import product_archive, product_create, product_update
from ..services.settings import sales_settings_update
from ..services.tax_rates import tax_rate_create, tax_rate_delete, tax_rate_update
from . import serializers as s

DOOR = "api"
WRITE_METHODS = ["get", "post", "patch", "delete", "head", "options"]


def _validated(serializer_class, request) -> dict:
    incoming = serializer_class(data=request.data)
    incoming.is_valid(raise_exception=True)
    return dict(incoming.validated_data)


# --- catalogue ----------------------------------------------------------------------------


class ProductFilter(django_filters.FilterSet):
    active = django_filters.BooleanFilter(field_name="is_active", help_text="true: in the catalogue; false: archived.")
    category = django_filters.CharFilter(field_name="category", lookup_expr="iexact")
    billing = django_filters.ChoiceFilter(choices=Product.Billing.choices)
    is_bundle = django_filters.BooleanFilter()
    search = django_filters.CharFilter(method="filter_search", max_length=100,
                                       help_text="Contained in the SKU or the name (case-insensitive).")

    class Meta:
        model = Product
        fields = []

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(sku__icontains=value) | Q(name__icontains=value)) if value else queryset


PRODUCT_KEYS = ("sku", "name", "description", "unit", "category", "billing", "is_bundle", "is_active", "tax_rates")


def _product_args(data: dict) -> dict:
    bundle_items = data.get("bundle_items")
    return {
        "data": {key: data[key] for key in PRODUCT_KEYS if key in data},
        "prices": [dict(p) for p in data["prices"]] if "prices" in data else None,
        "bundle_items": [dict(i) for i in bundle_items] if bundle_items is not None else None,
    }


@extend_schema_view(
    list=extend_schema(summary="List the product catalogue (archived products too unless active=true)"),
    retrieve=extend_schema(summary="One product with its prices, tax rates and bundle contents"),
    create=extend_schema(summary="Create a product (managers)", request=s.ProductInputSerializer,
                         responses={201: s.ProductSerializer}),
    partial_update=extend_schema(summary="Change a product (managers); prices and bundle_items replace",
                                 request=s.ProductInputSerializer, responses=s.ProductSerializer),
)
class ProductViewSet(viewsets.GenericViewSet):
    serializer_class = s.ProductSerializer
    filterset_class = ProductFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.product_list()

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(selectors.product_get(pk)).data)

    def create(self, request):
        args = _product_args(_validated(s.ProductInputSerializer, request))
        product = product_create(actor=request.user, data=args["data"], prices=args["prices"] or [],
                                 bundle_items=args["bundle_items"] or [], door=DOOR)
        return Response(self.get_serializer(selectors.product_get(product.pk)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        product = selectors.product_get(pk)
        args = _product_args(_validated(s.ProductInputSerializer, request))
        product_update(product=product, actor=request.user, door=DOOR, **args)
        return Response(self.get_serializer(selectors.product_get(pk)).data)

    @extend_schema(request=None, responses=s.ProductSerializer,
                   summary="Archive a product (managers): it leaves the catalogue; documents keep it")
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        product_archive(product=selectors.product_get(pk), actor=request.user, door=DOOR)
        return Response(self.get_serializer(selectors.product_get(pk)).data)

    @extend_schema(
        summary="Quick add: active products by SKU or name with their unit price in a currency",
        parameters=[OpenApiParameter("q", str, description="Contained in the SKU or the name."),
                    OpenApiParameter("currency", str, description="Default: the workspace's currency."),
                    OpenApiParameter("limit", int, description="1-50, default 10.")],
        responses=s.ProductSearchSerializer,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def search(self, request):
        params = request.query_params
        try:
            limit = max(1, min(50, int(params.get("limit", 10))))
        except (TypeError, ValueError):
            limit = 10
        currency = (params.get("currency") or document_services._workspace_currency())[:3]
        found = selectors.product_search(query=params.get("q", ""), currency=currency, limit=limit)
        return Response(s.ProductSearchSerializer({"results": found}).data)


class TaxRateFilter(django_filters.FilterSet):
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = TaxRate
        fields = []


@extend_schema_view(
    list=extend_schema(summary="List tax rates (default first)"),
    retrieve=extend_schema(summary="One tax rate"),
    create=extend_schema(summary="Create a tax rate (managers)", request=s.TaxRateInputSerializer,
                         responses={201: s.TaxRateSerializer}),
    partial_update=extend_schema(summary="Change a tax rate (managers); documents keep their copies",
                                 request=s.TaxRateInputSerializer, responses=s.TaxRateSerializer),
    destroy=extend_schema(summary="Delete a tax rate (managers); one that products use is archived instead",
                          responses={204: None}),
)
class TaxRateViewSet(viewsets.GenericViewSet):
    serializer_class = s.TaxRateSerializer
    filterset_class = TaxRateFilter
    http_method_names = WRITE_METHODS
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return TaxRate.objects.order_by("-is_default", "name", "pk")

    def fetch(self, pk) -> TaxRate:
        tax_rate = TaxRate.objects.filter(pk=pk).first()
        if tax_rate is None:
            raise RecordNotFound()
        return tax_rate

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.fetch(pk)).data)

    def create(self, request):
        tax_rate = tax_rate_create(actor=request.user, data=_validated(s.TaxRateInputSerializer, request), door=DOOR)
        return Response(self.get_serializer(tax_rate).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        tax_rate = tax_rate_update(tax_rate=self.fetch(pk), actor=request.user,
                                   data=_validated(s.TaxRateInputSerializer, request), door=DOOR)
        return Response(self.get_serializer(tax_rate).data)

    def destroy(self, request, pk=None):
        tax_rate_delete(tax_rate=self.fetch(pk), actor=request.user, door=DOOR)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- documents ----------------------------------------------------------------------------

OPEN_INVOICE = (DocumentStatus.ISSUED, DocumentStatus.PARTIALLY_PAID, DocumentStatus.OVERDUE)


class DocumentFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices)
    status = django_filters.ChoiceFilter(choices=DocumentStatus.choices)
    company = django_filters.NumberFilter(field_name="company_id")
    contact = django_filters.NumberFilter(field_name="contact_id")
    deal = django_filters.NumberFilter(field_name="deal_id")
    owner = django_filters.NumberFilter(field_name="owner_id", help_text="A member's user id.")
    issue_date__gte = django_filters.DateFilter(field_name="issue_date", lookup_expr="gte")
    issue_date__lte = django_filters.DateFilter(field_name="issue_date", lookup_expr="lte")
    due_date__gte = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_date__lte = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        help_text="true: unpaid invoices past their due date (also before the daily job marks them); false: the rest.")

    class Meta:
        model = Document
        fields = []

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Q(kind=DocumentKind.INVOICE) & (
            Q(status=DocumentStatus.OVERDUE) | Q(status__in=OPEN_INVOICE, due_date__lt=timezone.localdate()))
        return queryset.filter(late) if value else queryset.exclude(late)


def _header(request, data: dict) -> dict:
    """The document header of the validated input, with ids made into records the caller may see."""
    header, errors = {}, {}
    for name, getter in (("company", company_get), ("contact", contact_get), ("deal", deal_get)):
        if name not in data:
            continue
        if data[name] is None:
            header[name] = None
            continue
        try:
            header[name] = getter(user=request.user, pk=data[name])
        except RecordNotFound:
            errors[name] = _("Choose a record you can see.")
    if "owner" in data:
        owner = resolve_member(data["owner"], errors=errors)
        if "owner" not in errors:
            header["owner"] = owner
    if errors:
        raise RecordValidationError(errors)
    for key in document_services.HEADER_FIELDS:
        if key in data and key not in ("company", "contact", "deal", "owner"):
            header[key] = data[key]
    if "currency" in header:
        header["currency"] = header["currency"].upper()
    return header


def _lines(lines, currency: str) -> list[dict] | None:
    if lines is None:
        return None
    return selectors.document_lines_priced(lines=[dict(line) for line in lines], currency=currency.upper())


@extend_schema_view(
    list=extend_schema(summary="List offers, invoices and credit notes you can see, newest first"),
    retrieve=extend_schema(summary="One document with its lines, totals, tax breakdown and payments"),
    create=extend_schema(summary="Create a draft offer or invoice with its lines", request=s.DocumentInputSerializer,
                         responses={201: s.DocumentDetailSerializer}),
    partial_update=extend_schema(summary="Change a draft (an issued or sent document answers 409 not_draft)",
                                 request=s.DocumentInputSerializer, responses=s.DocumentDetailSerializer),
    destroy=extend_schema(summary="Delete a draft (numbered documents are kept: void or credit them)",
                          responses={204: None}),
)
class DocumentViewSet(viewsets.GenericViewSet):
    serializer_class = s.DocumentSerializer
    filterset_class = DocumentFilter
    http_method_names = WRITE_METHODS
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Document.objects.none()
        return selectors.document_list(user=self.request.user)

    def fetch(self, pk) -> Document:
        return selectors.document_get(user=self.request.user, pk=pk)

    def answer(self, pk, status_code=status.HTTP_200_OK) -> Response:
        return Response(s.DocumentDetailSerializer(self.fetch(pk)).data, status=status_code)

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return self.answer(pk)

    def create(self, request):
        data = _validated(s.DocumentInputSerializer, request)
        header = _header(request, data)
        currency = header.get("currency") or document_services._workspace_currency()
        document = document_services.document_create(
            actor=request.user, kind=data.get("kind", DocumentKind.INVOICE), data=header,
            lines=_lines(data.get("lines", []), currency), door=DOOR)
        return self.answer(document.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        document = self.fetch(pk)
        data = _validated(s.DocumentInputSerializer, request)
        data.pop("kind", None)  # a document's type never changes
        header = _header(request, data)
        document_services.document_update(
            document=document, actor=request.user, data=header,
            lines=_lines(data.get("lines"), header.get("currency") or document.currency), door=DOOR)
        return self.answer(pk)

    def destroy(self, request, pk=None):
        document_services.document_delete(document=self.fetch(pk), actor=request.user, door=DOOR)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.IssueInputSerializer, responses=s.DocumentDetailSerializer,
                   summary="Issue a draft invoice or credit note: numbered and frozen for ever")
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        document = self.fetch(pk)
        data = _validated(s.IssueInputSerializer, request)
        document_services.invoice_issue(document=document, actor=request.user, on=data.get("issue_date"), door=DOOR)
        return self.answer(pk)

    @extend_schema(request=None, responses=s.DocumentDetailSerializer,
                   summary="Mark a draft offer as sent (handed over by other means): numbered and frozen")
    @action(detail=True, methods=["post"], url_path="mark-sent", url_name="mark-sent")
    def mark_sent(self, request, pk=None):
        document_services.offer_mark_sent(document=self.fetch(pk), actor=request.user, door=DOOR)
        return self.answer(pk)

    def _decide(self, request, pk, accept: bool) -> Response:
        document = self.fetch(pk)
        data = _validated(s.DecisionInputSerializer, request)
        document_services.offer_decide(document=document, accept=accept, actor=request.user,
                                       name=data.get("name", ""), door=DOOR)
        return self.answer(pk)

    @extend_schema(request=s.DecisionInputSerializer, responses=s.DocumentDetailSerializer,
                   summary="Record that the customer accepted a sent offer (an expired one answers 409)")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._decide(request, pk, True)

    @extend_schema(request=s.DecisionInputSerializer, responses=s.DocumentDetailSerializer,
                   summary="Record that the customer declined a sent offer")
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._decide(request, pk, False)

    @extend_schema(request=None, responses={201: s.DocumentDetailSerializer},
                   summary="Convert an accepted offer into a draft invoice (once); answers the invoice")
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        invoice = document_services.offer_convert(document=self.fetch(pk), actor=request.user, door=DOOR)
        return self.answer(invoice.pk, status.HTTP_201_CREATED)

    @extend_schema(request=s.VoidInputSerializer, responses=s.DocumentDetailSerializer,
                   summary="Void an issued invoice nothing was paid or credited on (managers)")
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        document = self.fetch(pk)
        data = _validated(s.VoidInputSerializer, request)
        document_services.invoice_void(document=document, actor=request.user, reason=data.get("reason", ""),
                                       door=DOOR)
        return self.answer(pk)

    @extend_schema(request=s.CreditNoteInputSerializer, responses={201: s.DocumentDetailSerializer},
                   summary="Create a draft credit note for an issued invoice (managers); answers the credit note")
    @action(detail=True, methods=["post"], url_path="credit-note", url_name="credit-note")
    def credit_note(self, request, pk=None):
        invoice = self.fetch(pk)
        data = _validated(s.CreditNoteInputSerializer, request)
        note = document_services.credit_note_create(invoice=invoice, actor=request.user,
                                                    lines=_lines(data.get("lines"), invoice.currency), door=DOOR)
        return self.answer(note.pk, status.HTTP_201_CREATED)


# --- payments and settings ----------------------------------------------------------------


class PaymentFilter(django_filters.FilterSet):
    paid_on__gte = django_filters.DateFilter(field_name="paid_on", lookup_expr="gte")
    paid_on__lte = django_filters.DateFilter(field_name="paid_on", lookup_expr="lte")
    method = django_filters.ChoiceFilter(choices=Payment.Method.choices)
    kind = django_filters.ChoiceFilter(choices=Payment.Kind.choices)
    document = django_filters.NumberFilter(field_name="document_id")

    class Meta:
        model = Payment
        fields = []


@extend_schema_view(
    list=extend_schema(summary="List payments and refunds on the invoices you can see, latest first"),
    retrieve=extend_schema(summary="One payment or refund"),
    create=extend_schema(summary="Record a payment (or, managers, a refund) on an issued invoice",
                         request=s.PaymentInputSerializer, responses={201: s.PaymentSerializer}),
)
class PaymentViewSet(viewsets.GenericViewSet):
    serializer_class = s.PaymentSerializer
    filterset_class = PaymentFilter
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Payment.objects.none()
        return selectors.payment_list(user=self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(selectors.payment_get(user=request.user, pk=pk)).data)

    def create(self, request):
        data = _validated(s.PaymentInputSerializer, request)
        try:
            invoice = selectors.document_get(user=request.user, pk=data["document"])
        except RecordNotFound:
            raise RecordValidationError({"document": _("Choose an invoice you can see.")}) from None
        common = {"invoice": invoice, "actor": request.user, "amount": data["amount"], "paid_on": data.get("paid_on"),
                  "method": data.get("method", Payment.Method.BANK_TRANSFER), "reference": data.get("reference", ""),
                  "note": data.get("note", ""), "door": DOOR}
        if data["kind"] == Payment.Kind.REFUND:
            if data.get("currency") and data["currency"].upper() != invoice.currency:
                raise RecordValidationError({"currency": _("A refund must be in the invoice's currency.")})
            payment = payment_refund(**common)
        else:
            payment = payment_record(currency=data.get("currency"), **common)
        return Response(self.get_serializer(selectors.payment_get(user=request.user, pk=payment.pk)).data,
                        status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary="The workspace's sales settings (managers)"),
    patch=extend_schema(summary="Change some sales settings (managers)", request=s.SalesSettingsInputSerializer,
                        responses=s.SalesSettingsSerializer),
)
class SalesSettingsView(generics.GenericAPIView):
    serializer_class = s.SalesSettingsSerializer
    pagination_class = None
    filter_backends = []
    http_method_names = ["get", "patch", "head", "options"]

    def _require(self, request):
        if not can(request.user, "sales.change_settings"):
            raise RecordPermissionError()

    def get(self, request):
        self._require(request)
        return Response(self.get_serializer(selectors.sales_settings()).data)

    def patch(self, request):
        self._require(request)
        row = sales_settings_update(actor=request.user, data=_validated(s.SalesSettingsInputSerializer, request),
                                    door=DOOR)
        return Response(self.get_serializer(row).data)
