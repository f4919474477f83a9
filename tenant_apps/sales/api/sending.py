"""POST /api/v1/documents/{id}/send/: e-mail a document with its PDF (document_send, door
"api"). Errors come back in the API's one shape: bad addresses 400 with the field, a
document that cannot be sent in its state 409."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from .. import selectors
from ..services.sending import MAX_MESSAGE, MAX_RECIPIENTS, document_send
from . import serializers as s


class DocumentSendInputSerializer(serializers.Serializer):
    to = serializers.ListField(child=serializers.CharField(max_length=254), min_length=1, max_length=MAX_RECIPIENTS,
                               help_text="Recipients' e-mail addresses.")
    cc = serializers.ListField(child=serializers.CharField(max_length=254), required=False, default=list,
                               max_length=MAX_RECIPIENTS)
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                    help_text="Left out or empty: the workspace template's subject.")
    message = serializers.CharField(max_length=MAX_MESSAGE, required=False, allow_blank=True, default="",
                                    help_text="Your own words, placed in the e-mail template.")
    attach_pdf = serializers.BooleanField(required=False, default=True)
    issue_draft = serializers.BooleanField(
        required=False, default=False,
        help_text="A draft invoice or credit note is issued (numbered, frozen) and sent; without it, refused.")
    idempotency_key = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default="",
        help_text="The same key sends once: a repeat answers 409 already_sent.")


class DocumentSendView(generics.GenericAPIView):
    serializer_class = DocumentSendInputSerializer
    pagination_class = None
    filter_backends = []
    http_method_names = ["post", "options"]

    @extend_schema(request=DocumentSendInputSerializer, responses=s.DocumentDetailSerializer,
                   summary="E-mail an offer, invoice or credit note with its PDF (a draft offer is numbered and "
                           "marked sent; a draft invoice only with issue_draft)")
    def post(self, request, pk):
        document = selectors.document_get(user=request.user, pk=pk)
        incoming = self.get_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        # Scoped to the caller: another member's key never collides with theirs.
        key = f"api:{request.user.pk}:{data['idempotency_key']}" if data["idempotency_key"] else ""
        document_send(document=document, actor=request.user, to=data["to"], cc=data["cc"], subject=data["subject"],
                      message=data["message"], attach_pdf=data["attach_pdf"], issue_draft=data["issue_draft"],
                      send_key=key, door="api")
        return Response(s.DocumentDetailSerializer(selectors.document_get(user=request.user, pk=pk)).data)
