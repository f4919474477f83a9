"""Shapes of tickets in the REST API."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenant_apps.integrations.api.serializers import CompanyRefSerializer, MemberSerializer, ReadSerializer

from ..models import Ticket, TicketAttachment, TicketMessage
from ..services import MAX_BODY, MAX_SUBJECT


class TicketContactSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="__str__", read_only=True)
    email = serializers.CharField(read_only=True)


class TicketSerializer(ReadSerializer):
    contact = TicketContactSerializer(read_only=True)
    company = CompanyRefSerializer(read_only=True, allow_null=True)
    assignee = MemberSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Ticket
        fields = ["id", "subject", "status", "priority", "contact", "company", "assignee", "opened_by_kind",
                  "closed_at", "last_message_at", "created_at", "updated_at"]
        read_only_fields = fields


class TicketAttachmentSerializer(ReadSerializer):
    download_url = serializers.SerializerMethodField(help_text="Needs the same authentication as the API.")

    class Meta:
        model = TicketAttachment
        fields = ["id", "original_name", "size", "content_type", "download_url"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_download_url(self, attachment) -> str:
        return reverse("ticket_attachment", urlconf="config.urls_app", args=[attachment.pk])


class TicketMessageSerializer(ReadSerializer):
    author = MemberSerializer(read_only=True, allow_null=True)
    attachments = TicketAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = TicketMessage
        fields = ["id", "author_kind", "author", "body", "internal", "attachments", "created_at"]
        read_only_fields = fields


class TicketCreateSerializer(serializers.Serializer):
    contact = serializers.IntegerField(min_value=1, max_value=2**62, help_text="The contact the ticket is for.")
    subject = serializers.CharField(max_length=MAX_SUBJECT)
    body = serializers.CharField(max_length=MAX_BODY, help_text="The first message; e-mailed to the contact.")
    priority = serializers.ChoiceField(choices=Ticket.Priority.choices, required=False, default=Ticket.Priority.NORMAL)
    assignee = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**62,
                                        help_text="A member's user id.")


class TicketMessageCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=MAX_BODY)
    internal = serializers.BooleanField(required=False, default=False,
                                        help_text="An internal note: never shown to the customer or e-mailed.")
    attachments = serializers.ListField(child=serializers.FileField(), required=False, max_length=20,
                                        help_text="multipart/form-data only; up to 5 files of 10 MB.")


class TicketUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Ticket.Status.choices, required=False)
    priority = serializers.ChoiceField(choices=Ticket.Priority.choices, required=False)
    assignee = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**62,
                                        help_text="A member's user id; null: nobody.")

