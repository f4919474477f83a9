"""Tickets in the REST API: thin adapters over the ticket selectors and services (door
"api"); errors reach the client in the API's one error shape."""

import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tenant_apps.contacts.selectors import contact_get
from tenant_apps.records.errors import RecordNotFound

from ..errors import TicketValidationError
from ..models import Ticket
from ..selectors import ticket_get, ticket_messages, visible_tickets
from ..services import ticket_create, ticket_reply, ticket_update
from . import serializers as s

DOOR = "api"


class TicketFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Ticket.Status.choices)
    priority = django_filters.TypedChoiceFilter(choices=Ticket.Priority.choices, coerce=int)
    assignee = django_filters.CharFilter(method="filter_assignee",
                                         help_text="A member's user id, `me`, or `none` (unassigned).")
    contact = django_filters.NumberFilter(field_name="contact_id")
    company = django_filters.NumberFilter(field_name="company_id")

    class Meta:
        model = Ticket
        fields = []

    def filter_assignee(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assignee=self.request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value.isdigit() and len(value) < 19:
            return queryset.filter(assignee_id=int(value))
        return queryset.none()


def _member(user_id, field):
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise TicketValidationError({field: [_("Choose a member of this workspace who can answer tickets.")]})
    return user


@extend_schema_view(
    list=extend_schema(summary="List tickets you can see (newest first)"),
    retrieve=extend_schema(summary="One ticket"),
    create=extend_schema(summary="Open a ticket for a contact (the first message is e-mailed to them)",
                         request=s.TicketCreateSerializer, responses={201: s.TicketSerializer}),
    partial_update=extend_schema(summary="Change a ticket's status, priority or assignee",
                                 request=s.TicketUpdateSerializer, responses=s.TicketSerializer),
)
class TicketViewSet(viewsets.GenericViewSet):
    serializer_class = s.TicketSerializer
    filterset_class = TicketFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Ticket.objects.none()
        return visible_tickets(Ticket.objects.all(), self.request.user).select_related(
            "contact", "company", "assignee"
        ).order_by("-pk")

    def fetch(self, pk) -> Ticket:
        ticket = ticket_get(user=self.request.user, pk=pk)
        if ticket is None:
            raise RecordNotFound()
        return ticket

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.fetch(pk)).data)

    def create(self, request):
        incoming = s.TicketCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            contact = contact_get(user=request.user, pk=data["contact"])
        except RecordNotFound:
            contact = None
        ticket = ticket_create(actor=request.user, contact=contact, subject=data["subject"], body=data["body"],
                               priority=data["priority"], assignee=_member(data.get("assignee"), "assignee"),
                               door=DOOR)
        return Response(self.get_serializer(self.fetch(ticket.pk)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        ticket = self.fetch(pk)
        incoming = s.TicketUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        changes = {}
        if "status" in data:
            changes["status"] = data["status"]
        if "priority" in data:
            changes["priority"] = data["priority"]
        if "assignee" in data:
            changes["assignee"] = _member(data["assignee"], "assignee")
        ticket_update(ticket=ticket, actor=request.user, door=DOOR, **changes)
        return Response(self.get_serializer(self.fetch(pk)).data)

    @extend_schema(summary="The conversation, oldest first (internal notes included)",
                   responses=s.TicketMessageSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def messages(self, request, pk=None):
        ticket = self.fetch(pk)
        return Response(s.TicketMessageSerializer(ticket_messages(ticket=ticket, include_internal=True), many=True).data)

    @extend_schema(summary="Answer the customer (e-mailed to them) or add an internal note",
                   request={"application/json": s.TicketMessageCreateSerializer,
                            "multipart/form-data": s.TicketMessageCreateSerializer},
                   responses={201: s.TicketMessageSerializer})
    @messages.mapping.post
    def reply(self, request, pk=None):
        ticket = self.fetch(pk)
        incoming = s.TicketMessageCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        message = ticket_reply(ticket=ticket, actor=request.user, body=data["body"], internal=data["internal"],
                               files=request.FILES.getlist("attachments") if request.FILES else (), door=DOOR)
        fresh = next(m for m in ticket_messages(ticket=ticket, include_internal=True) if m.pk == message.pk)
        return Response(s.TicketMessageSerializer(fresh).data, status=status.HTTP_201_CREATED)

    def get_parsers(self):
        # Called before DRF sets self.action: the route's method map says which action runs.
        request = getattr(self, "request", None)
        action_map = getattr(self, "action_map", None) or {}
        if request is not None and action_map.get(request.method.lower()) == "reply":  # files: multipart
            return [parsers.JSONParser(), parsers.MultiPartParser(), parsers.FormParser()]
        return super().get_parsers()
