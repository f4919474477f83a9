"""A workspace's set-up as the API sees it: pipelines with their stages, custom field
definitions, tags."""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from django.db import connection

from shared_apps.accounts.selectors import member_list
from tenant_apps.deals.models import Pipeline, Stage
from rest_framework.decorators import action

from tenant_apps.deals.services import pipeline_create, pipeline_update, stage_add
from tenant_apps.records.errors import RecordNotFound
from tenant_apps.records.models import CustomField, Entity, Tag

from . import serializers as s


def _pipelines():
    return Pipeline.objects.prefetch_related(
        Prefetch("stages", queryset=Stage.objects.order_by("position", "pk"))
    ).order_by("position", "pk")


@extend_schema_view(
    list=extend_schema(summary="Pipelines with their stages, in board order"),
    retrieve=extend_schema(summary="One pipeline with its stages"),
    create=extend_schema(summary="Create a pipeline (managers)", request=s.PipelineInputSerializer,
                         responses={201: s.PipelineSerializer}),
    partial_update=extend_schema(summary="Rename a pipeline or make it the default (managers)",
                                 request=s.PipelineChangeSerializer, responses=s.PipelineSerializer),
)
class PipelineViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.PipelineSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return _pipelines()

    def fetch(self, pk) -> Pipeline:
        pipeline = _pipelines().filter(pk=pk).first()
        if pipeline is None:
            raise RecordNotFound()
        return pipeline

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.fetch(pk)).data)

    def partial_update(self, request, pk=None):
        pipeline = self.fetch(pk)
        incoming = s.PipelineChangeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        pipeline_update(pipeline=pipeline, actor=request.user, name=data.get("name", pipeline.name),
                        is_default=data.get("is_default", pipeline.is_default))
        return Response(self.get_serializer(self.fetch(pk)).data)

    @extend_schema(request=s.StageInputSerializer, responses={201: s.PipelineSerializer},
                   summary="Add an open stage after the last open one (managers)")
    @action(detail=True, methods=["post"])
    def stages(self, request, pk=None):
        pipeline = self.fetch(pk)
        incoming = s.StageInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        stage_add(pipeline=pipeline, actor=request.user, **incoming.validated_data)
        return Response(self.get_serializer(self.fetch(pk)).data, status=status.HTTP_201_CREATED)

    def create(self, request):
        incoming = s.PipelineInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        pipeline = pipeline_create(
            actor=request.user, name=data["name"], is_default=data.get("is_default", False),
            stages=[(stage["name"], stage["probability"]) for stage in data["stages"]],
        )
        return Response(self.get_serializer(_pipelines().get(pk=pipeline.pk)).data, status=status.HTTP_201_CREATED)


class CustomFieldFilter(django_filters.FilterSet):
    entity = django_filters.ChoiceFilter(choices=Entity.choices)
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = CustomField
        fields = []


@extend_schema_view(list=extend_schema(summary="Custom field definitions (values are under `custom` by key)"))
class CustomFieldViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.CustomFieldSerializer
    filterset_class = CustomFieldFilter

    def get_queryset(self):
        return CustomField.objects.order_by("entity", "position", "pk")


@extend_schema_view(list=extend_schema(summary="Tags, by name"))
class TagViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.TagSerializer

    def get_queryset(self):
        return Tag.objects.order_by("name", "pk")


@extend_schema_view(list=extend_schema(summary="The workspace's members (the ids for owner, assignee, owner=<id>)"))
class MemberViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.MembershipSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return member_list(tenant=None).none()
        return member_list(tenant=connection.tenant).order_by("user__full_name", "user__email", "pk")
