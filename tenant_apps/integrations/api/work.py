"""Tasks and timelines (activities), through their selectors and services."""

import django_filters
from django.core import signing
from django.db.models import F
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from tenant_apps.activities.models import Activity, ActivityKind
from tenant_apps.activities.selectors import timeline_for
from tenant_apps.activities.services import activity_delete, activity_log, activity_update
from tenant_apps.companies.selectors import company_get
from tenant_apps.contacts.selectors import contact_get
from tenant_apps.deals.selectors import deal_get
from tenant_apps.records.errors import RecordNotFound, RecordValidationError
from tenant_apps.records.visibility import visible_activities, visible_tasks
from tenant_apps.tasks.models import Task
from tenant_apps.tasks.selectors import task_get
from tenant_apps.tasks.services import task_complete, task_create, task_delete, task_reopen, task_update

from . import serializers as s
from .pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, InvalidCursor

GETTERS = {"contact": contact_get, "company": company_get, "deal": deal_get}


class TaskFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Task.Status.choices)
    priority = django_filters.TypedChoiceFilter(choices=Task.Priority.choices, coerce=int)
    assignee = django_filters.NumberFilter(field_name="assignee_id", help_text="A member's user id.")
    contact = django_filters.NumberFilter(field_name="contact_id")
    company = django_filters.NumberFilter(field_name="company_id")
    deal = django_filters.NumberFilter(field_name="deal_id")
    due_at__gte = django_filters.IsoDateTimeFilter(field_name="due_at", lookup_expr="gte")
    due_at__lte = django_filters.IsoDateTimeFilter(field_name="due_at", lookup_expr="lte")

    class Meta:
        model = Task
        fields = []


@extend_schema_view(
    list=extend_schema(summary="List tasks you can see (open first, soonest due first)"),
    retrieve=extend_schema(summary="One task"),
    create=extend_schema(summary="Create a task", request=s.TaskInputSerializer, responses={201: s.TaskSerializer}),
    partial_update=extend_schema(summary="Change some fields of a task", request=s.TaskInputSerializer,
                                 responses=s.TaskSerializer),
    destroy=extend_schema(summary="Delete a task", responses={204: None}),
)
class TaskViewSet(viewsets.GenericViewSet):
    serializer_class = s.TaskSerializer
    filterset_class = TaskFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Task.objects.none()
        return visible_tasks(Task.objects.all(), self.request.user).select_related("assignee").order_by(
            "status", F("due_at").asc(nulls_last=True), "pk"
        )

    def fetch(self, pk) -> Task:
        task = task_get(user=self.request.user, pk=pk)
        if task is None:
            raise RecordNotFound()
        return task

    def _input(self, request):
        incoming = s.TaskInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        return incoming.changes()

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.fetch(pk)).data)

    def create(self, request):
        task = task_create(actor=request.user, data=self._input(request), door="api")
        return Response(self.get_serializer(self.fetch(task.pk)).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        task_update(task=self.fetch(pk), actor=request.user, data=self._input(request), door="api")
        return Response(self.get_serializer(self.fetch(pk)).data)

    def destroy(self, request, pk=None):
        task_delete(task=self.fetch(pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=s.TaskSerializer, summary="Mark as done")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        task_complete(task=self.fetch(pk), actor=request.user)
        return Response(self.get_serializer(self.fetch(pk)).data)

    @extend_schema(request=None, responses=s.TaskSerializer, summary="Mark as open again")
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        task_reopen(task=self.fetch(pk), actor=request.user)
        return Response(self.get_serializer(self.fetch(pk)).data)


_SALT = "tessera.api.timeline"


@extend_schema_view(
    list=extend_schema(
        summary="A record's timeline, newest first",
        description="Exactly one of contact, company or deal.",
        parameters=[
            OpenApiParameter("contact", int), OpenApiParameter("company", int), OpenApiParameter("deal", int),
            OpenApiParameter("kind", str, description="Comma-separated: note, call, meeting, email, system."),
            OpenApiParameter("cursor", str, description="Opaque cursor from the previous page's `next`."),
            OpenApiParameter("size", int, description="Entries per page (1-200, default 50)."),
        ],
        responses=s.TimelinePageSerializer,
    ),
    create=extend_schema(summary="Log a note, call, meeting or e-mail", request=s.ActivityInputSerializer,
                         responses={201: s.ActivitySerializer}),
    retrieve=extend_schema(summary="One timeline entry"),
    partial_update=extend_schema(summary="Change a logged entry (its author, or a manager)",
                                 request=s.ActivityChangeSerializer, responses=s.ActivitySerializer),
    destroy=extend_schema(summary="Remove a logged entry (its author, or a manager)", responses={204: None}),
)
class ActivityViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ActivitySerializer
    pagination_class = None  # the timeline pages by its own keyset (timeline_for's before_id)
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return Activity.objects.none()

    def fetch(self, pk) -> Activity:
        """The entry if `user` may see it (the same filter as the timeline)."""
        activity = visible_activities(
            Activity.objects.select_related("author", "contact", "company", "deal"), self.request.user
        ).filter(pk=pk).first()
        if activity is None:
            raise RecordNotFound()
        return activity

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.fetch(pk)).data)

    def partial_update(self, request, pk=None):
        activity = self.fetch(pk)
        incoming = s.ActivityChangeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        activity_update(activity=activity, actor=request.user, **incoming.validated_data)
        return Response(self.get_serializer(self.fetch(pk)).data)

    def destroy(self, request, pk=None):
        activity_delete(activity=self.fetch(pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _record(self, params, *, required_message):
        given = [(name, params.get(name)) for name in GETTERS if params.get(name) not in (None, "")]
        if len(given) != 1:
            raise RecordValidationError({"record": required_message})
        name, value = given[0]
        try:
            pk = int(value)
            if not 0 < pk < s.MAX_ID:
                raise ValueError
            return name, GETTERS[name](user=self.request.user, pk=pk)
        except (TypeError, ValueError, RecordNotFound):
            raise RecordValidationError({name: _("Choose a record you can see.")}) from None

    def list(self, request):
        params = request.query_params
        name, record = self._record(params, required_message=_("Give exactly one of contact, company or deal."))
        kinds = [k for k in (params.get("kind") or "").split(",") if k]
        if any(k not in ActivityKind.values for k in kinds):
            raise RecordValidationError({"kind": _("Choose among note, call, meeting, email and system.")})
        try:
            size = max(1, min(MAX_PAGE_SIZE, int(params.get("size", DEFAULT_PAGE_SIZE))))
        except (TypeError, ValueError):
            size = DEFAULT_PAGE_SIZE
        before_id = None
        if params.get("cursor"):
            try:
                before_id = int(signing.loads(params["cursor"], salt=_SALT))
            except (signing.BadSignature, TypeError, ValueError) as exc:
                raise InvalidCursor() from exc
        rows = list(timeline_for(user=request.user, kinds=kinds or None, before_id=before_id, limit=size + 1,
                                 **{name: record}))
        next_url = None
        if len(rows) > size:
            rows = rows[:size]
            next_url = replace_query_param(request.build_absolute_uri(), "cursor",
                                           signing.dumps(rows[-1].pk, salt=_SALT))
        return Response({"next": next_url, "results": self.get_serializer(rows, many=True).data})

    def create(self, request):
        incoming = s.ActivityInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        name, record = self._record(data, required_message=_("Link the activity to a contact, company or deal."))
        activity = activity_log(
            actor=request.user, kind=data["kind"], subject=data.get("subject", ""), body=data.get("body", ""),
            occurred_at=data.get("occurred_at"), duration_minutes=data.get("duration_minutes"),
            direction=data.get("direction", ""), outcome=data.get("outcome", ""), **{name: record},
        )
        activity = Activity.objects.select_related("author").get(pk=activity.pk)
        return Response(self.get_serializer(activity).data, status=status.HTTP_201_CREATED)
