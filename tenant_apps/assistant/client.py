"""The one door to the model: every call to an OpenAI-compatible endpoint goes through here.

What it guarantees to its callers (deal analysis, e-mail drafts, template generation):
- The endpoint is the workspace's own (Enterprise, /settings/assistant/) when it has set
  one, otherwise the platform's (config/settings/ai.py); with neither, NotConfigured.
- The openai SDK's own retries are off (max_retries=0) so that one policy applies
  everywhere: timeouts, connection failures, 5xx, 429 and malformed answers (not JSON,
  or JSON that fails the caller's schema) are retried OPENAI_MAX_RETRIES times with
  exponential backoff (OPENAI_RETRY_BACKOFF_SECONDS, doubled each time, with jitter);
  other refusals (401, 400, ...) are not, because asking again cannot help.
- Failures reach the caller only as tenant_apps.assistant.errors.AssistantError
  subclasses with a translated message: never as an SDK or httpx exception.
- Metering: every answer the endpoint gives costs ceil(tokens / AI_TOKENS_PER_CREDIT)
  AI credits, at least 1, where tokens are the prompt plus the answer as the endpoint
  reports them (estimated at 4 characters a token when it does not). A malformed answer
  that is retried was still paid for, so it is metered too. A call is refused up front
  (CreditsExhausted) when the month's credits are used up; the credits a call used are
  then taken with billing.entitlements.usage_consume_ai_credits, and when the call used
  more than was left the month's counter stops at the limit (the answer was already
  paid for upstream and is given to the user; the next call is refused). Calls through
  a workspace's own key are billed by its own provider and use no credits.
"""

import json
import logging
import math
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx2
import jsonschema
import openai
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from . import errors
from .endpoints import endpoint_is_refused

log = logging.getLogger(__name__)

CHARS_PER_TOKEN = 4


@dataclass(frozen=True)
class Endpoint:
    api_key: str
    base_url: str | None
    model: str
    own: bool  # the workspace's own key: its provider bills it, no AI credits are used


@dataclass(frozen=True)
class Answer:
    """One validated answer: `data` (chat_json) or `text` (chat_text), the model that
    gave it, the tokens of every attempt and the AI credits they cost."""

    data: dict | None
    text: str
    model: str
    tokens: int
    credits: int


class _Malformed(Exception):
    """An answer that is not what was asked for: retried, then MalformedAnswer."""


def _tenant(tenant):
    """`tenant`, or the workspace of the current schema (None on the public schema)."""
    if tenant is not None:
        return tenant
    current = getattr(connection, "tenant", None)
    if current is None or current.schema_name == "public":
        return None
    return current


def endpoint_for(tenant, *, plan=None) -> Endpoint | None:
    """The endpoint `tenant` uses now, or None when no model is configured for it."""
    from .selectors import assistant_own_key_allowed, assistant_settings_of

    if tenant is not None and assistant_own_key_allowed(tenant, plan=plan):
        own = assistant_settings_of(tenant)
        if own is not None and own.in_use:
            return Endpoint(own.api_key, own.base_url or None, own.model, own=True)
    if settings.OPENAI_API_KEY and settings.OPENAI_MODEL:
        return Endpoint(settings.OPENAI_API_KEY, settings.OPENAI_BASE_URL or None, settings.OPENAI_MODEL, own=False)
    return None


def credits_for(tokens: int) -> int:
    """AI credits a call of `tokens` tokens costs: one per AI_TOKENS_PER_CREDIT, rounded up, at least one."""
    return max(1, math.ceil(tokens / max(1, settings.AI_TOKENS_PER_CREDIT)))


def _credits_left(tenant, *, plan=None) -> int | None:
    from billing.entitlements import entitlement_remaining

    return entitlement_remaining(tenant, "ai_credits", plan=plan)


def _plan(tenant):
    """`tenant`'s plan, read once per check (both the own-key rule and the credits need it)."""
    from billing.entitlements import plan_of

    return plan_of(tenant) if tenant is not None else None


def assistant_available(tenant=None) -> tuple[bool, str]:
    """(True, "") when `tenant` (default: the current workspace) can use the assistant now,
    else (False, a translated reason to show on the disabled buttons)."""
    tenant = _tenant(tenant)
    plan = _plan(tenant)
    endpoint = endpoint_for(tenant, plan=plan)
    if endpoint is None:
        return False, _("AI is not configured: no model has been set up for this workspace.")
    if tenant is not None and not endpoint.own and _credits_left(tenant, plan=plan) == 0:
        return False, str(errors.CreditsExhausted.default_message)
    return True, ""


def _require(tenant) -> Endpoint:
    plan = _plan(tenant)
    endpoint = endpoint_for(tenant, plan=plan)
    if endpoint is None:
        raise errors.NotConfigured()
    if tenant is not None and not endpoint.own and _credits_left(tenant, plan=plan) == 0:
        raise errors.CreditsExhausted()
    return endpoint


def _meter(*, tenant, endpoint: Endpoint, purpose: str, tokens: int) -> int:
    """Take the credits of one answer of `tokens` tokens; returns the credits it cost."""
    from billing.entitlements import usage_consume_ai_credits
    from billing.errors import PlanLimitReached

    credits = credits_for(tokens)
    log.info(
        "ai call purpose=%s model=%s tokens=%s credits=%s schema=%s own_key=%s",
        purpose, endpoint.model, tokens, credits, getattr(tenant, "schema_name", None), endpoint.own,
    )
    if tenant is None or endpoint.own:
        return 0
    try:
        usage_consume_ai_credits(tenant=tenant, n=credits)
    except PlanLimitReached:
        # The answer was already paid for upstream: fill the month up to its limit so
        # that the next call is refused, instead of failing this one.
        left = _credits_left(tenant) or 0
        if left:
            try:
                usage_consume_ai_credits(tenant=tenant, n=left)
            except PlanLimitReached:
                pass  # a concurrent call took the rest
    return credits


def _sdk(endpoint: Endpoint) -> openai.OpenAI:
    if endpoint.own and endpoint.base_url and endpoint_is_refused(endpoint.base_url, unresolved_ok=True):
        raise errors.EndpointRefused()
    return openai.OpenAI(
        api_key=endpoint.api_key,
        base_url=endpoint.base_url,
        timeout=settings.OPENAI_TIMEOUT_SECONDS,
        max_retries=0,
    )


_RETRYABLE = (openai.APIConnectionError, openai.InternalServerError, openai.RateLimitError, _Malformed)


def _translate(exc: Exception) -> errors.AssistantError:
    """The user-facing error for an exception of the SDK, httpx or our own checks."""
    if isinstance(exc, errors.AssistantError):
        return exc
    if isinstance(exc, (openai.APITimeoutError, httpx2.TimeoutException)):
        return errors.AssistantTimeout()
    if isinstance(exc, _Malformed):
        return errors.MalformedAnswer()
    if isinstance(exc, openai.AuthenticationError):
        return errors.UpstreamError(_("The AI service refused the API key. Check the assistant's settings."))
    if isinstance(exc, openai.RateLimitError):
        return errors.UpstreamError(_("The AI service is busy or its quota is used up. Try again later."))
    if isinstance(exc, openai.APIConnectionError):
        return errors.UpstreamError(_("The AI service could not be reached. Try again later."))
    return errors.UpstreamError()


def _with_retries(attempt: Callable[[], object], *, purpose: str):
    """attempt() until it succeeds or the retries are used up; AssistantError then."""
    tries = 1 + max(0, settings.OPENAI_MAX_RETRIES)
    last: Exception | None = None
    for number in range(tries):
        try:
            return attempt()
        except _RETRYABLE as exc:
            last = exc
            log.warning("ai call purpose=%s attempt %s/%s failed: %r", purpose, number + 1, tries, exc)
            if number + 1 < tries:
                delay = settings.OPENAI_RETRY_BACKOFF_SECONDS * (2**number)
                time.sleep(delay * random.uniform(1.0, 1.25))
        except (openai.APIError, httpx2.HTTPError) as exc:
            log.warning("ai call purpose=%s refused: %r", purpose, exc)
            raise _translate(exc) from exc
    raise _translate(last) from last


def _estimate_tokens(messages: list[dict], answer: str) -> int:
    chars = sum(len(str(message.get("content", ""))) for message in messages) + len(answer)
    return math.ceil(chars / CHARS_PER_TOKEN)


def _complete(*, client: openai.OpenAI, endpoint: Endpoint, messages: list[dict], **options) -> tuple[str, str, int]:
    """One non-streamed completion: (text, model, tokens). _Malformed when the body is not
    a chat completion."""
    try:
        response = client.chat.completions.create(model=endpoint.model, messages=messages, **options)
    except (json.JSONDecodeError, openai.APIResponseValidationError) as exc:
        raise _Malformed(f"not a chat completion: {exc}") from exc
    choices = getattr(response, "choices", None)
    if not choices or not isinstance(getattr(choices[0].message, "content", None), str):
        raise _Malformed("no message content in the answer")
    text = choices[0].message.content
    usage = getattr(response, "usage", None)
    tokens = getattr(usage, "total_tokens", None) or _estimate_tokens(messages, text)
    return text, response.model or endpoint.model, int(tokens)


def chat_text_answer(*, purpose: str, messages: list[dict], tenant=None) -> Answer:
    """A plain-text answer, metered."""
    tenant = _tenant(tenant)
    endpoint = _require(tenant)
    client = _sdk(endpoint)

    def attempt():
        text, model, tokens = _complete(client=client, endpoint=endpoint, messages=messages)
        credits = _meter(tenant=tenant, endpoint=endpoint, purpose=purpose, tokens=tokens)
        return Answer(None, text, model, tokens, credits)

    return _with_retries(attempt, purpose=purpose)


def chat_text(*, purpose: str, messages: list[dict], tenant=None) -> str:
    """The model's plain-text answer to `messages`."""
    return chat_text_answer(purpose=purpose, messages=messages, tenant=tenant).text


def _json_instruction(schema: dict) -> dict:
    return {
        "role": "system",
        "content": "Answer with one JSON object and nothing else. It must validate against this JSON schema:\n"
        + json.dumps(schema, ensure_ascii=False),
    }


def chat_json_answer(*, purpose: str, messages: list[dict], schema: dict, tenant=None) -> Answer:
    """A JSON answer validated against `schema` (retried when it is not), metered per attempt."""
    tenant = _tenant(tenant)
    endpoint = _require(tenant)
    client = _sdk(endpoint)
    validator = jsonschema.Draft202012Validator(schema)
    messages = [*messages, _json_instruction(schema)]
    spent = {"tokens": 0, "credits": 0}

    def attempt():
        text, model, tokens = _complete(
            client=client, endpoint=endpoint, messages=messages, response_format={"type": "json_object"}
        )
        spent["tokens"] += tokens
        spent["credits"] += _meter(tenant=tenant, endpoint=endpoint, purpose=purpose, tokens=tokens)
        try:
            data = json.loads(_strip_fence(text))
        except ValueError as exc:
            raise _Malformed(f"not JSON: {text[:200]!r}") from exc
        error = jsonschema.exceptions.best_match(validator.iter_errors(data))
        if error is not None:
            raise _Malformed(f"does not match the schema: {error.message}")
        return Answer(data, text, model, spent["tokens"], spent["credits"])

    return _with_retries(attempt, purpose=purpose)


def _strip_fence(text: str) -> str:
    """Some local models wrap JSON in a ```json fence even in JSON mode."""
    text = text.strip()
    if text.startswith("```") and text.endswith("```"):
        text = text[3:-3]
        if text.startswith("json"):
            text = text[4:]
    return text.strip()


def chat_json(*, purpose: str, messages: list[dict], schema: dict, tenant=None) -> dict:
    """The model's answer to `messages` as a dict that validates against `schema`."""
    return chat_json_answer(purpose=purpose, messages=messages, schema=schema, tenant=tenant).data


def chat_stream(*, purpose: str, messages: list[dict], tenant=None) -> Iterator[str]:
    """The model's answer as text pieces while it is written.

    Not configured, no credits and an endpoint that refuses the request are raised here,
    before anything is streamed (failures to start are retried like any call). Once
    text flows nothing is retried (the reader has seen it): a timeout or a broken
    stream raises AssistantError from the iterator. The call is metered when the
    stream ends, however it ends, from the usage the endpoint reports at the end or an
    estimate from what was written."""
    tenant = _tenant(tenant)
    endpoint = _require(tenant)
    client = _sdk(endpoint)

    def start():
        try:
            return client.chat.completions.create(
                model=endpoint.model, messages=messages, stream=True, stream_options={"include_usage": True}
            )
        except (json.JSONDecodeError, openai.APIResponseValidationError) as exc:
            raise _Malformed(str(exc)) from exc

    stream = _with_retries(start, purpose=purpose)
    return _stream_pieces(stream, tenant=tenant, endpoint=endpoint, purpose=purpose, messages=messages)


def _stream_pieces(stream, *, tenant, endpoint, purpose, messages) -> Iterator[str]:
    written: list[str] = []
    tokens = None
    try:
        for chunk in stream:
            usage = getattr(chunk, "usage", None)
            if usage is not None and getattr(usage, "total_tokens", None):
                tokens = usage.total_tokens
            choices = getattr(chunk, "choices", None)
            if choices is None:
                raise _Malformed("a stream chunk without choices")
            for choice in choices:
                piece = getattr(choice.delta, "content", None) if choice.delta else None
                if piece:
                    written.append(piece)
                    yield piece
    except (json.JSONDecodeError, _Malformed, AttributeError, TypeError) as exc:
        log.warning("ai stream purpose=%s broke: %r", purpose, exc)
        raise errors.MalformedAnswer() from exc
    except (openai.APIError, httpx2.HTTPError) as exc:
        log.warning("ai stream purpose=%s broke: %r", purpose, exc)
        raise _translate(exc) from exc
    finally:
        stream.close()
        try:
            _meter(
                tenant=tenant, endpoint=endpoint, purpose=purpose,
                tokens=tokens or _estimate_tokens(messages, "".join(written)),
            )
        except Exception:  # metering must never hide the stream's own outcome
            log.exception("ai stream purpose=%s could not be metered", purpose)
