"""REST API of the assistant's e-mail drafts and template generation.

POST /api/v1/assistant/drafts/ answers the whole draft at once (a body and subject lines);
the streamed version is the app's draft page. Nothing is sent: the caller gets text.
POST /api/v1/assistant/templates/{template}/generate/ saves a generated template as a new
version only if it renders with sample data; otherwise 400 with the sandbox's error and
what was generated."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from shared_apps.accounts.rules import can
from tenant_apps.integrations.api.errors import error_body
from tenant_apps.integrations.api.permissions import IsWorkspaceMember
from tenant_apps.templates.catalogue import key_from_slug, template_keys
from tenant_apps.templates.errors import GeneratedTemplateRejected, TemplateError

from .client import chat_json, chat_text
from .drafts import (
    ENTITIES, INSTRUCTIONS_LIMIT, LANGUAGES, PURPOSES, SUBJECTS_SCHEMA, TONES, DraftRequest, clean_subjects,
    draft_grounding, draft_messages, draft_record, subject_messages,
)
from .errors import AssistantError
from .feature_views import error_status
from .template_generation import PROMPT_LIMIT, template_generate


class CanLogActivities(BasePermission):
    """activities.log: a draft is written to be logged or sent, which read-only members may not."""

    def has_permission(self, request, view):
        return can(request.user, "activities.log")


class CanEditTemplates(BasePermission):
    def has_permission(self, request, view):
        return can(request.user, "doc_templates.edit")


def _assistant_error(exc: AssistantError) -> Response:
    return Response(error_body(exc.code, exc.message), status=error_status(exc))


class DraftInputSerializer(serializers.Serializer):
    entity = serializers.ChoiceField(choices=ENTITIES, help_text="contact or deal")
    record_id = serializers.IntegerField(min_value=1)
    purpose = serializers.ChoiceField(choices=[code for code, _label in PURPOSES])
    tone = serializers.ChoiceField(choices=[code for code, _label in TONES])
    # The same choices as documents' language, so the schema has one LanguageEnum.
    language = serializers.ChoiceField(choices=LANGUAGES)
    instructions = serializers.CharField(max_length=INSTRUCTIONS_LIMIT, required=False, allow_blank=True, default="")


class DraftSerializer(serializers.Serializer):
    subjects = serializers.ListField(child=serializers.CharField(), help_text="Suggested subject lines.")
    body = serializers.CharField(help_text="The e-mail body as plain text. It is not sent or saved.")


class DraftApi(APIView):
    permission_classes = [IsWorkspaceMember, CanLogActivities]

    @extend_schema(operation_id="assistant_draft_create", summary="Write an e-mail draft for a contact or deal",
                   request=DraftInputSerializer,
                   responses={200: DraftSerializer, 404: OpenApiResponse(description="No such record"),
                              402: OpenApiResponse(description="The plan's AI credits are used up"),
                              502: OpenApiResponse(description="The model failed or answered wrongly"),
                              503: OpenApiResponse(description="No model is configured"),
                              504: OpenApiResponse(description="The model did not answer in time")})
    def post(self, request):
        incoming = DraftInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        entity = data["entity"]
        record = draft_record(user=request.user, entity=entity, pk=data["record_id"])  # RecordNotFound: 404
        draft = DraftRequest(entity=entity, purpose=data["purpose"], tone=data["tone"], language=data["language"],
                             instructions=data["instructions"].strip())
        grounding = draft_grounding(user=request.user, entity=entity, record=record)
        try:
            body = chat_text(purpose="email_draft", messages=draft_messages(request=draft, grounding=grounding))
            answer = chat_json(purpose="email_subjects", schema=SUBJECTS_SCHEMA,
                               messages=subject_messages(request=draft, grounding=grounding, body=body))
        except AssistantError as exc:
            return _assistant_error(exc)
        return Response({"subjects": clean_subjects(answer), "body": body.strip()})


class TemplateGenerateInputSerializer(serializers.Serializer):
    prompt = serializers.CharField(max_length=PROMPT_LIMIT, help_text="What the template should be like.")


class GeneratedTemplateSerializer(serializers.Serializer):
    template = serializers.CharField(help_text="The template's slug, e.g. email-reminder-en or document-classic.")
    version = serializers.IntegerField(help_text="The new version, now in use.")
    subject = serializers.CharField()
    html = serializers.CharField()
    css = serializers.CharField()
    text = serializers.CharField()


class TemplateGenerateApi(APIView):
    permission_classes = [IsWorkspaceMember, CanEditTemplates]

    @extend_schema(operation_id="assistant_template_generate",
                   summary="Generate a template from a description; saved only if it renders with sample data",
                   request=TemplateGenerateInputSerializer,
                   parameters=[OpenApiParameter("template", str, OpenApiParameter.PATH,
                                                enum=[key.slug for key in template_keys()],
                                                description="The template: document-{layout} or email-{purpose}-{language}.")],
                   responses={201: GeneratedTemplateSerializer,
                              400: OpenApiResponse(description="The template does not render (template_invalid, with "
                                                               "the sandbox's message and the generated source)"),
                              404: OpenApiResponse(description="No such template"),
                              402: OpenApiResponse(description="The plan's AI credits are used up"),
                              502: OpenApiResponse(description="The model failed or answered wrongly"),
                              503: OpenApiResponse(description="No model is configured"),
                              504: OpenApiResponse(description="The model did not answer in time")})
    def post(self, request, template):
        key = key_from_slug(template)
        if key is None:
            raise Http404
        incoming = TemplateGenerateInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            version = template_generate(key=key, prompt=incoming.validated_data["prompt"], actor=request.user)
        except GeneratedTemplateRejected as exc:
            body = error_body("template_invalid", exc.message, {exc.part: [exc.message]})
            content = exc.content
            body["error"]["generated"] = {"subject": content.subject, "html": content.html, "css": content.css,
                                          "text": content.text}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        except TemplateError as exc:
            return Response(error_body("validation_error", exc.message, {"prompt": [exc.message]}), status=400)
        except AssistantError as exc:
            return _assistant_error(exc)
        return Response({"template": key.slug, "version": version.number, "subject": version.subject,
                         "html": version.html, "css": version.css, "text": version.text},
                        status=status.HTTP_201_CREATED)
