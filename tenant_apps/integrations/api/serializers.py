"""What the API sends (read serializers over the selectors' rows) and what it accepts
(input serializers that check JSON types only; the services validate the values and
answer in the same words as the UI)."""

import datetime

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shared_apps.accounts.models import Role
from tenant_apps.activities.models import Activity, ActivityKind
from tenant_apps.companies.models import Company, CompanySize, Industry
from tenant_apps.contacts.models import Contact, ContactEmail, ContactPhone, Label
from tenant_apps.deals.models import Deal, Pipeline, Stage
from tenant_apps.records.models import CustomField, LifecycleStage, Source, Tag
from tenant_apps.tasks.models import Task

MAX_ID = 2**63 - 1


def _id(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


# --- read -------------------------------------------------------------------------------


class UTCDateTimeField(serializers.DateTimeField):
    """Times go out in UTC (RFC 3339), not in the workspace's zone: a client should not
    need to know it, and historic zones have offsets with seconds that RFC 3339 lacks."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default_timezone", datetime.timezone.utc)
        super().__init__(**kwargs)


class ReadSerializer(serializers.ModelSerializer):
    """Output of model rows, documented as they really are: blank text stays allowed on
    read-only fields, and e-mail and link fields, which may be blank, are plain strings."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.EmailField: serializers.CharField,
        models.URLField: serializers.CharField,
        models.DateTimeField: UTCDateTimeField,
    }

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        allow_blank = kwargs.get("allow_blank")
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank:
            kwargs["allow_blank"] = True
        return kwargs


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    full_name = serializers.CharField(read_only=True)


class MembershipSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.pk", read_only=True, help_text="The user id used in owner fields.")
    email = serializers.EmailField(source="user.email", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)


class CompanyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class EmailSerializer(ReadSerializer):
    class Meta:
        model = ContactEmail
        fields = ["email", "label", "is_primary"]


class PhoneSerializer(ReadSerializer):
    class Meta:
        model = ContactPhone
        fields = ["number", "label", "is_primary"]


@extend_schema_field({"type": "object", "additionalProperties": True,
                      "description": "Custom field values by key (see /api/v1/custom-fields/)."})
class CustomValuesField(serializers.JSONField):
    pass


RECORD_COMMON = ["owner", "tags", "custom", "created_at", "updated_at"]


class ContactSerializer(ReadSerializer):
    full_name = serializers.CharField(read_only=True)
    company = CompanyRefSerializer(read_only=True, allow_null=True)
    owner = MemberSerializer(read_only=True, allow_null=True)
    emails = EmailSerializer(many=True, read_only=True)
    phones = PhoneSerializer(many=True, read_only=True)
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    custom = CustomValuesField(read_only=True)

    class Meta:
        model = Contact
        fields = ["id", "first_name", "last_name", "full_name", "job_title", "company", "email", "phone", "emails",
                  "phones", "website", "address_line1", "address_line2", "postal_code", "city", "region", "country",
                  "description", "lifecycle_stage", "source", "last_activity_at", *RECORD_COMMON]
        read_only_fields = fields


class CompanySerializer(ReadSerializer):
    owner = MemberSerializer(read_only=True, allow_null=True)
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    custom = CustomValuesField(read_only=True)

    class Meta:
        model = Company
        fields = ["id", "name", "domain", "website", "email", "phone", "industry", "size", "tax_id", "address_line1",
                  "address_line2", "postal_code", "city", "region", "country", "description", "lifecycle_stage",
                  "source", "last_activity_at", *RECORD_COMMON]
        read_only_fields = fields


class StageRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=Stage.Kind.choices, read_only=True)


class DealSerializer(ReadSerializer):
    stage = StageRefSerializer(read_only=True)
    company = CompanyRefSerializer(read_only=True, allow_null=True)
    contacts = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    owner = MemberSerializer(read_only=True, allow_null=True)
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    custom = CustomValuesField(read_only=True)

    class Meta:
        model = Deal
        fields = ["id", "title", "amount", "currency", "pipeline", "stage", "position", "status", "lost_reason",
                  "expected_close_date", "closed_at", "company", "contacts", "description", "last_activity_at",
                  *RECORD_COMMON]
        read_only_fields = fields


class StageSerializer(ReadSerializer):
    class Meta:
        model = Stage
        fields = ["id", "name", "position", "probability", "kind"]
        read_only_fields = fields


class PipelineSerializer(ReadSerializer):
    stages = StageSerializer(many=True, read_only=True)

    class Meta:
        model = Pipeline
        fields = ["id", "name", "is_default", "position", "stages"]
        read_only_fields = fields


class CustomFieldSerializer(ReadSerializer):
    class Meta:
        model = CustomField
        fields = ["id", "entity", "key", "label", "field_type", "options", "is_required", "is_active", "position"]
        read_only_fields = fields


class TagSerializer(ReadSerializer):
    class Meta:
        model = Tag
        fields = ["id", "name", "colour"]
        read_only_fields = fields


class TaskSerializer(ReadSerializer):
    assignee = MemberSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Task
        fields = ["id", "title", "description", "due_at", "priority", "status", "assignee", "completed_at",
                  "contact", "company", "deal", "created_at", "updated_at"]
        read_only_fields = fields


class ActivitySerializer(ReadSerializer):
    author = MemberSerializer(read_only=True, allow_null=True)
    data = serializers.JSONField(read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "kind", "event", "subject", "body", "occurred_at", "duration_minutes", "direction", "outcome",
                  "data", "author", "contact", "company", "deal", "created_at"]
        read_only_fields = fields


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    when = UTCDateTimeField()
    user = MemberSerializer(allow_null=True)
    door = serializers.CharField()
    label = serializers.CharField(help_text="insert, update, ...")
    model = serializers.CharField()
    changes = HistoryChangeSerializer(many=True)


class DuplicatesSerializer(serializers.Serializer):
    results = ContactSerializer(many=True)


class CompanyDuplicatesSerializer(serializers.Serializer):
    results = CompanySerializer(many=True)


# --- write --------------------------------------------------------------------------------


class EmailInputSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    label = serializers.ChoiceField(choices=Label.choices, required=False)
    is_primary = serializers.BooleanField(required=False)


class PhoneInputSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40)
    label = serializers.ChoiceField(choices=Label.choices, required=False)
    is_primary = serializers.BooleanField(required=False)


def _text(max_length, **kwargs):
    return serializers.CharField(required=False, allow_blank=True, max_length=max_length, trim_whitespace=False,
                                 **kwargs)


class RecordInputSerializer(serializers.Serializer):
    """Every key is optional: only the keys sent are changed."""

    owner = _id(required=False, allow_null=True, help_text="A member's user id.")
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False, max_length=50,
                                 help_text="Tag names; the list replaces the record's tags.")
    custom = serializers.DictField(child=serializers.JSONField(allow_null=True), required=False,
                                   help_text="Custom field values by key; null clears one.")

    def changes(self) -> dict:
        """The validated keys that were sent, ready for the service's `data`."""
        return {key: value for key, value in self.validated_data.items()}


class PartyInputSerializer(RecordInputSerializer):
    """What contacts and companies both have: an address, a description, a lifecycle stage
    and a source."""

    address_line1 = _text(200)
    address_line2 = _text(200)
    postal_code = _text(20)
    city = _text(100)
    region = _text(100)
    country = _text(100)
    description = _text(20_000)
    lifecycle_stage = serializers.ChoiceField(choices=LifecycleStage.choices, required=False)
    source = serializers.ChoiceField(choices=[("", "—"), *Source.choices], required=False)


class ContactInputSerializer(PartyInputSerializer):
    first_name = _text(100)
    last_name = _text(100)
    job_title = _text(150)
    company = _id(required=False, allow_null=True)
    emails = EmailInputSerializer(many=True, required=False)
    phones = PhoneInputSerializer(many=True, required=False)
    website = _text(300)


class CompanyInputSerializer(PartyInputSerializer):
    name = _text(200)
    website = _text(300)
    domain = _text(253)
    email = _text(254)
    phone = _text(40)
    industry = serializers.ChoiceField(choices=[("", "—"), *Industry.choices], required=False)
    size = serializers.ChoiceField(choices=[("", "—"), *CompanySize.choices], required=False)
    tax_id = _text(40)


class DealInputSerializer(RecordInputSerializer):
    title = _text(200)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    currency = _text(3)
    expected_close_date = serializers.DateField(required=False, allow_null=True)
    description = _text(20_000)
    pipeline = _id(required=False, help_text="On creation: start in this pipeline's first stage.")
    stage = _id(required=False, help_text="On creation: an open stage. On update: moves the deal.")
    company = _id(required=False, allow_null=True)
    contacts = serializers.ListField(child=_id(), required=False, max_length=100)
    lost_reason = _text(200, help_text="With a move to the Lost stage.")


class DealMoveSerializer(serializers.Serializer):
    stage = _id()
    before_id = _id(required=False, allow_null=True, help_text="The deal that ends up just above it.")
    after_id = _id(required=False, allow_null=True, help_text="The deal that ends up just below it.")
    lost_reason = _text(200)


class DealLostSerializer(serializers.Serializer):
    reason = _text(200)


class StageInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    probability = serializers.IntegerField(min_value=0, max_value=100)


class PipelineInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    is_default = serializers.BooleanField(required=False, default=False)
    stages = StageInputSerializer(many=True, help_text="The open stages in order; Won and Lost are added.")


class PipelineChangeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    is_default = serializers.BooleanField(required=False, help_text="Only true makes sense: another takes over.")


class TaskInputSerializer(serializers.Serializer):
    title = _text(200)
    description = _text(20_000)
    due_at = serializers.DateTimeField(required=False, allow_null=True)
    priority = serializers.ChoiceField(choices=Task.Priority.choices, required=False)
    assignee = _id(required=False, allow_null=True)
    contact = _id(required=False, allow_null=True)
    company = _id(required=False, allow_null=True)
    deal = _id(required=False, allow_null=True)

    def changes(self) -> dict:
        return dict(self.validated_data)


class ActivityInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(k, v) for k, v in ActivityKind.choices if k != ActivityKind.SYSTEM])
    contact = _id(required=False, allow_null=True)
    company = _id(required=False, allow_null=True)
    deal = _id(required=False, allow_null=True)
    subject = _text(200)
    body = _text(20_000)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    duration_minutes = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=24 * 60)
    direction = serializers.ChoiceField(choices=[("", "—"), *Activity.Direction.choices], required=False)
    outcome = serializers.ChoiceField(choices=[("", "—"), *Activity.Outcome.choices], required=False)


class ActivityChangeSerializer(serializers.Serializer):
    subject = serializers.CharField(required=False, allow_blank=True, max_length=200)
    body = serializers.CharField(required=False, allow_blank=True, max_length=20_000, trim_whitespace=False)
    occurred_at = serializers.DateTimeField(required=False)
    duration_minutes = serializers.IntegerField(required=False, min_value=0, max_value=24 * 60)
    direction = serializers.ChoiceField(choices=[("", "—"), *Activity.Direction.choices], required=False)
    outcome = serializers.ChoiceField(choices=[("", "—"), *Activity.Outcome.choices], required=False)


class MergeInputSerializer(serializers.Serializer):
    duplicates = serializers.ListField(child=_id(), min_length=1, max_length=20,
                                       help_text="Ids of the records folded into this one (they are deleted).")
    choices = serializers.DictField(child=_id(), required=False,
                                    help_text="Field name -> id of the record whose value wins.")


@extend_schema_field(OpenApiTypes.OBJECT)
class AnyObjectField(serializers.JSONField):
    pass


class DataExportSerializer(serializers.Serializer):
    contact = AnyObjectField()
    deals = serializers.ListField(child=AnyObjectField())
    activities = serializers.ListField(child=AnyObjectField())
    tasks = serializers.ListField(child=AnyObjectField())
    history = serializers.ListField(child=AnyObjectField())


class TimelinePageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next page, or null on the last one.")
    results = ActivitySerializer(many=True)
