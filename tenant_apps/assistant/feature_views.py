"""Pages of the assistant's e-mail drafts and template generation.

A draft is streamed into the editor of the draft page as the model writes it (server-sent
events read by static/assistant/draft.js). Nothing is ever sent from here: the member edits
the draft and then logs it on the timeline or opens it in their mail app, both by their own
click on actions that already exist."""

import json

from django.contrib import messages
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.decorators import permission_required
from tenant_apps.records.errors import RecordNotFound
from tenant_apps.templates.catalogue import key_from_slug
from tenant_apps.templates.errors import GeneratedTemplateRejected, TemplateError

from .client import assistant_available, chat_json, chat_stream
from .drafts import (
    SUBJECTS_SCHEMA, clean_subjects, draft_grounding, draft_messages, draft_recipient, draft_record, subject_messages,
)
from .errors import AssistantError
from .feature_forms import DraftForm, SubjectsForm, TemplateGenerateForm
from .template_generation import template_generate


def error_status(exc: AssistantError) -> int:
    """The HTTP answer to a failure of the model, as the assistant's errors name it
    (not_configured 503, credits_exhausted 402, timeout 504, upstream/malformed 502)."""
    return getattr(exc, "http_status", None) or 502


def _record(request, entity, pk):
    try:
        return draft_record(user=request.user, entity=entity, pk=pk)
    except RecordNotFound as exc:
        raise Http404 from exc


def _json_error(code: str, message, status: int, fields: dict | None = None) -> JsonResponse:
    body = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    return JsonResponse({"error": body}, status=status)


def _form_error(form) -> JsonResponse:
    fields = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
    return _json_error("validation_error", _("Some fields are not valid."), 400, fields)


@permission_required("activities.log")
def draft_page(request, entity, pk):
    record = _record(request, entity, pk)
    available, reason = assistant_available(request.tenant)
    form = DraftForm(initial={"purpose": "follow_up", "tone": "friendly",
                              "language": "bg" if (request.LANGUAGE_CODE or "").startswith("bg") else "en"})
    return render(request, "assistant/draft.html", {
        "record": record, "entity": entity, "form": form, "available": available, "reason": reason,
        "recipient": draft_recipient(record=record, entity=entity, user=request.user),
    })


def _sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _events(first: str, rest):
    """The model's text as server-sent events: `delta` per piece, then `done`, or `error`
    with the translated message when the model fails part way (what came so far stays in
    the editor, and the member can try again)."""
    try:
        if first:
            yield _sse("delta", {"text": first})
        for delta in rest:
            if delta:
                yield _sse("delta", {"text": delta})
    except AssistantError as exc:
        yield _sse("error", {"code": exc.code, "message": str(exc.message)})
        return
    yield _sse("done", {})


@require_POST
@permission_required("activities.log")
def draft_stream(request, entity, pk):
    record = _record(request, entity, pk)
    form = DraftForm(request.POST)
    if not form.is_valid():
        return _form_error(form)
    # The prompt is built here, with this member's visibility, before the first byte goes out.
    grounding = draft_grounding(user=request.user, entity=entity, record=record)
    prompt = draft_messages(request=form.draft_request(entity), grounding=grounding)
    # The model is asked and its first piece awaited here, so that a model that is missing,
    # out of credits or failing from the start answers with its own status and message.
    try:
        stream = chat_stream(purpose="email_draft", messages=prompt)
        first = next(stream, "")
    except AssistantError as exc:
        return _json_error(exc.code, exc.message, error_status(exc))
    response = StreamingHttpResponse(_events(first, stream), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    # Proxies (nginx) would otherwise hold the events back until the end.
    response["X-Accel-Buffering"] = "no"
    return response


@require_POST
@permission_required("activities.log")
def draft_subjects(request, entity, pk):
    record = _record(request, entity, pk)
    form = SubjectsForm(request.POST)
    if not form.is_valid():
        return _form_error(form)
    grounding = draft_grounding(user=request.user, entity=entity, record=record)
    prompt = subject_messages(request=form.draft_request(entity), grounding=grounding,
                              body=form.cleaned_data["body"])
    try:
        answer = chat_json(purpose="email_subjects", messages=prompt, schema=SUBJECTS_SCHEMA)
    except AssistantError as exc:
        return _json_error(exc.code, exc.message, error_status(exc))
    return JsonResponse({"subjects": clean_subjects(answer)})


@permission_required("doc_templates.edit")
def template_generate_view(request, slug):
    key = key_from_slug(slug)
    if key is None:
        raise Http404
    available, reason = assistant_available(request.tenant)
    form = TemplateGenerateForm(request.POST if request.method == "POST" else None)
    error, rejected = None, None
    if request.method == "POST" and form.is_valid():
        try:
            version = template_generate(key=key, prompt=form.cleaned_data["prompt"], actor=request.user)
        except GeneratedTemplateRejected as exc:
            error, rejected = exc.message, exc.content
        except TemplateError as exc:
            form.add_error("prompt", exc.message)
        except AssistantError as exc:
            error = exc.message
        else:
            messages.success(request, _("The assistant's template is saved as version %(number)s and is now in use. "
                                        "You can change it here or go back to an older version.")
                             % {"number": version.number})
            return redirect("template_edit", slug=key.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "assistant/template_generate.html", {
        "key": key, "form": form, "available": available, "reason": reason, "error": error, "rejected": rejected,
        "section": "templates",
    }, status=status)
