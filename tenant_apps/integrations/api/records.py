"""Contacts, companies and deals: lists through the list engine (the UI's filters,
custom-field filters and visibility), single records through the selectors, every write
through the services (door "api")."""

import json

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.decorators import action
from rest_framework.response import Response

from tenant_apps.companies.models import Company
from tenant_apps.companies.selectors import company_duplicates, company_get
from tenant_apps.companies.services import company_create, company_delete, company_merge, company_update
from tenant_apps.contacts.models import Contact
from tenant_apps.contacts.selectors import contact_data_export, contact_duplicates, contact_get
from tenant_apps.contacts.services import (
    contact_create, contact_data_export_record, contact_delete, contact_erase, contact_merge, contact_update,
)
from tenant_apps.deals.models import Deal, DealStatus, Stage
from tenant_apps.deals.selectors import deal_get
from tenant_apps.deals.services import (
    deal_create, deal_delete, deal_mark_lost, deal_mark_won, deal_move, deal_reopen, deal_update,
)
from tenant_apps.records.errors import RecordNotFound, RecordValidationError
from tenant_apps.records.export_views import export_response
from tenant_apps.records.exports import CONTENT_TYPES, FORMATS, list_export, list_export_record
from tenant_apps.records.history_selectors import record_history
from tenant_apps.records.listing import entity_list, list_query_parse, list_queryset

from tenant_apps.companies import listing as _companies_listing  # noqa: F401  (the list definitions,
from tenant_apps.contacts import listing as _contacts_listing  # noqa: F401   read at import for the schema)
from tenant_apps.deals import listing as _deals_listing  # noqa: F401

from . import serializers as s
from .errors import InvalidQuery


def list_parameters(entity: str, extra_sorts: str = "") -> list[OpenApiParameter]:
    """The list engine's query grammar as OpenAPI parameters (tenant_apps/records/listing.py)."""
    config = entity_list(entity)
    sorts = ", ".join(c.key for c in config.columns if c.sort)
    parameters = [
        OpenApiParameter("q", str, description="Full-text search; every word as a prefix."),
        OpenApiParameter("sort", str, description=f"One of {sorts}, or cf_<key>; '-' for descending."),
    ]
    for definition in config.filters.values():
        kind = definition.kind
        if kind in ("date", "number"):
            names = [definition.name, f"{definition.name}__gte", f"{definition.name}__lte"]
            schema = str
        elif kind in ("fk", "tag"):
            names, schema = [definition.name], int
        else:
            names, schema = [definition.name], str
        for name in names:
            description = {
                "member": "A member's id, `me` or `none`.",
                "choice": "One value, or several separated by commas: "
                          + ", ".join(str(c[0]) for c in definition.choices) + ".",
                "text": "Contains (case-insensitive).",
                "date": "YYYY-MM-DD.",
                "number": "A number.",
                "tag": "A tag id; repeat for records that have all of them.",
            }.get(kind, "")
            parameters.append(OpenApiParameter(name, schema, description=description))
    return parameters


CUSTOM_FILTER_NOTE = (
    "Custom fields filter as `cf_<key>=value` (with `__gte` / `__lte` for numbers and dates, "
    "`__empty=1` for no value), exactly like the lists in the app. An unknown parameter or a "
    "value that does not fit answers 400 `invalid_filter`."
)


class _FileNegotiation(BaseContentNegotiation):
    """An export answers with the file that `file_format` names, whatever the Accept
    header or a `format` parameter says; its errors are JSON like every other error."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class RecordViewSet(viewsets.GenericViewSet):
    """What the three record resources share; subclasses name their entity, selector and
    services."""

    entity = ""
    model = None
    input_serializer_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return self.model.objects.none()  # reads go through list_queryset and the selectors

    # Each subclass names its selector, (*, user, pk) -> the record or RecordNotFound when
    # not visible, and its services: create_record / update_record / delete_record(*, ..., actor).
    selector = None

    def fetch(self, pk):
        return type(self).selector(user=self.request.user, pk=pk)

    def list_related(self, queryset):
        return queryset

    def list(self, request):
        config = entity_list(self.entity)
        query = list_query_parse(config, request.query_params, request.user)
        if query.problems:
            raise InvalidQuery(query.problems)
        queryset = self.list_related(list_queryset(config, request.user, query))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.fetch(pk)).data)

    def _input(self, request):
        incoming = self.input_serializer_class(data=request.data)
        incoming.is_valid(raise_exception=True)
        return incoming.changes()

    def create(self, request):
        record = self.create_record(actor=request.user, data=self._input(request))
        return Response(self.get_serializer(self.fetch(record.pk)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        record = self.fetch(pk)
        self.update_record(record=record, actor=request.user, data=self._input(request))
        return Response(self.get_serializer(self.fetch(pk)).data)

    def destroy(self, request, pk=None):
        self.delete_record(record=self.fetch(pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=False, methods=["get"], url_path="export", url_name="export-list", pagination_class=None,
            content_negotiation_class=_FileNegotiation)
    def list_export(self, request):
        """The list (same query parameters) as a CSV or XLSX file; managers and up."""
        params = request.query_params.copy()
        file_format = params.pop("file_format", ["csv"])[-1]
        every_column = params.pop("columns", [""])[-1] == "all"
        if file_format not in FORMATS:
            raise RecordValidationError({"file_format": _("Choose csv or xlsx.")})
        config = entity_list(self.entity)
        query = list_query_parse(config, params, request.user)
        if query.problems:
            raise InvalidQuery(query.problems)
        list_export_record(entity=self.entity, file_format=file_format, query_string=params.urlencode(),
                           actor=request.user, request=request)
        return export_response(list_export(entity=self.entity, params=params, user=request.user,
                                           file_format=file_format, every_column=every_column))

    def duplicates_response(self, found, *, related):
        """`found` (a selector's duplicates, in its order) read again with `related` joins."""
        order = {record.pk: i for i, record in enumerate(found)}
        rows = related(self.model.objects.filter(pk__in=list(order)))
        return Response({"results": self.get_serializer(sorted(rows, key=lambda r: order[r.pk]), many=True).data})

    def merge_response(self, request, pk, *, merge, not_visible):
        """Fold the records named in the body into record `pk` through the `merge` service;
        a duplicate the member cannot see is a field error, not a 404 of the primary."""
        primary = self.fetch(pk)
        incoming = s.MergeInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        duplicates = []
        for duplicate_id in incoming.validated_data["duplicates"]:
            try:
                duplicates.append(self.fetch(duplicate_id))
            except RecordNotFound:
                raise RecordValidationError({"duplicates": not_visible}) from None
        merged = merge(primary=primary, duplicates=duplicates, actor=request.user,
                       choices=incoming.validated_data.get("choices") or {})
        return Response(self.get_serializer(self.fetch(merged.pk)).data)

    @extend_schema(responses=s.HistoryEntrySerializer(many=True), summary="Who changed what, newest first")
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        entries = record_history(record=self.fetch(pk))
        return Response(s.HistoryEntrySerializer(entries, many=True).data)


def _record_schema(name, serializer, input_serializer, entity):
    return extend_schema_view(
        list=extend_schema(summary=f"List {name}", description=CUSTOM_FILTER_NOTE,
                           parameters=list_parameters(entity)),
        retrieve=extend_schema(summary=f"One of the {name}"),
        create=extend_schema(summary=f"Create one of the {name}", request=input_serializer,
                             responses={201: serializer}),
        partial_update=extend_schema(summary=f"Change some fields of one of the {name}", request=input_serializer,
                                     responses=serializer),
        destroy=extend_schema(summary=f"Delete one of the {name}", responses={204: None}),
        list_export=extend_schema(
            summary=f"Export the list of {name} as a file", operation_id=f"{name}_export_list",
            description="The list's rows (same query parameters as the list, every page) as CSV or XLSX, "
                        "with the list's columns (`cols=`) or every column and custom field (`columns=all`). "
                        "Cells that a spreadsheet would run as a formula are neutralised. Managers and up; "
                        "written to the security log.\n\n" + CUSTOM_FILTER_NOTE,
            parameters=[
                OpenApiParameter("file_format", str, enum=list(FORMATS), description="csv (default) or xlsx."),
                OpenApiParameter("columns", str, enum=["all"], description="`all` for every column."),
                OpenApiParameter("cols", str, description="Comma-separated column keys, as in the list."),
                *list_parameters(entity),
            ],
            responses={(200, CONTENT_TYPES["csv"].split(";")[0]): OpenApiResponse(OpenApiTypes.STR),
                       (200, CONTENT_TYPES["xlsx"]): OpenApiResponse(OpenApiTypes.BINARY)},
        ),
    )


@_record_schema("contacts", s.ContactSerializer, s.ContactInputSerializer, "contact")
class ContactViewSet(RecordViewSet):
    entity = "contact"
    model = Contact
    serializer_class = s.ContactSerializer
    input_serializer_class = s.ContactInputSerializer

    selector = staticmethod(contact_get)

    def list_related(self, queryset):
        return queryset.prefetch_related("emails", "phones")

    def create_record(self, *, actor, data):
        return contact_create(actor=actor, data=data, door="api")

    def update_record(self, *, record, actor, data):
        return contact_update(contact=record, actor=actor, data=data, door="api")

    def delete_record(self, *, record, actor):
        contact_delete(contact=record, actor=actor, door="api")

    @extend_schema(responses=s.DuplicatesSerializer, summary="Contacts sharing an e-mail address or phone number")
    @action(detail=True, methods=["get"], pagination_class=None)
    def duplicates(self, request, pk=None):
        return self.duplicates_response(
            contact_duplicates(contact=self.fetch(pk), user=request.user),
            related=lambda qs: qs.select_related("company", "owner").prefetch_related("emails", "phones", "tags"),
        )

    @extend_schema(request=s.MergeInputSerializer, responses=s.ContactSerializer,
                   summary="Fold duplicates into this contact (they are deleted)")
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        return self.merge_response(request, pk, merge=contact_merge, not_visible=_("Choose contacts you can see."))

    @extend_schema(responses=s.DataExportSerializer, summary="Everything kept about the person (GDPR access)")
    @action(detail=True, methods=["get"], url_path="export")
    def export(self, request, pk=None):
        contact = self.fetch(pk)
        contact_data_export_record(contact=contact, actor=request.user, request=request)
        data = contact_data_export(contact=contact)
        for entry in data["history"]:
            user = entry.pop("user", None)
            entry["user"] = user.email if user else None
        return Response(json.loads(json.dumps(data, default=str)))

    @extend_schema(request=None, responses={204: None}, summary="Erase the person's data (GDPR erasure)")
    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None):
        contact_erase(contact=self.fetch(pk), actor=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


@_record_schema("companies", s.CompanySerializer, s.CompanyInputSerializer, "company")
class CompanyViewSet(RecordViewSet):
    entity = "company"
    model = Company
    serializer_class = s.CompanySerializer
    input_serializer_class = s.CompanyInputSerializer

    selector = staticmethod(company_get)

    def create_record(self, *, actor, data):
        return company_create(actor=actor, data=data, door="api")

    def update_record(self, *, record, actor, data):
        return company_update(company=record, actor=actor, data=data, door="api")

    def delete_record(self, *, record, actor):
        company_delete(company=record, actor=actor, door="api")

    @extend_schema(responses=s.CompanyDuplicatesSerializer, summary="Companies with the same domain")
    @action(detail=True, methods=["get"], pagination_class=None)
    def duplicates(self, request, pk=None):
        return self.duplicates_response(
            company_duplicates(company=self.fetch(pk), user=request.user),
            related=lambda qs: qs.select_related("owner").prefetch_related("tags"),
        )

    @extend_schema(request=s.MergeInputSerializer, responses=s.CompanySerializer,
                   summary="Fold duplicates into this company (their contacts, deals and timelines move over)")
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        return self.merge_response(request, pk, merge=company_merge, not_visible=_("Choose companies you can see."))


@_record_schema("deals", s.DealSerializer, s.DealInputSerializer, "deal")
class DealViewSet(RecordViewSet):
    entity = "deal"
    model = Deal
    serializer_class = s.DealSerializer
    input_serializer_class = s.DealInputSerializer

    selector = staticmethod(deal_get)

    def list_related(self, queryset):
        return queryset.prefetch_related("contacts")

    def create_record(self, *, actor, data):
        return deal_create(actor=actor, data=data, door="api")

    def update_record(self, *, record, actor, data):
        return deal_update(deal=record, actor=actor, data=data, door="api")

    def delete_record(self, *, record, actor):
        deal_delete(deal=record, actor=actor, door="api")

    @extend_schema(request=s.DealMoveSerializer, responses=s.DealSerializer,
                   summary="Move to a stage, and between two deals of its column")
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        deal = self.fetch(pk)
        incoming = s.DealMoveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        stage = Stage.objects.filter(pk=data["stage"]).first()
        if stage is None:
            raise RecordValidationError({"stage": _("Choose a stage.")})
        deal_move(deal=deal, stage=stage, actor=request.user, before_id=data.get("before_id"),
                  after_id=data.get("after_id"), lost_reason=data.get("lost_reason", ""), door="api")
        return Response(self.get_serializer(self.fetch(pk)).data)

    @extend_schema(request=None, responses=s.DealSerializer, summary="Mark as won")
    @action(detail=True, methods=["post"])
    def won(self, request, pk=None):
        deal_mark_won(deal=self.fetch(pk), actor=request.user)
        return Response(self.get_serializer(self.fetch(pk)).data)

    @extend_schema(request=s.DealLostSerializer, responses=s.DealSerializer, summary="Mark as lost, with a reason")
    @action(detail=True, methods=["post"])
    def lost(self, request, pk=None):
        deal = self.fetch(pk)
        incoming = s.DealLostSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        deal_mark_lost(deal=deal, actor=request.user, reason=incoming.validated_data.get("reason", ""))
        return Response(self.get_serializer(self.fetch(pk)).data)

    @extend_schema(request=None, responses=s.DealSerializer, summary="Reopen a won or lost deal")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        deal = self.fetch(pk)
        if deal.status == DealStatus.OPEN:
            # deal_reopen would move an open deal back to an earlier stage.
            raise RecordValidationError({"status": _("This deal is already open.")})
        deal_reopen(deal=deal, actor=request.user)
        return Response(self.get_serializer(self.fetch(pk)).data)
