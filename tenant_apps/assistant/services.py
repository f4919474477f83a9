"""Writes of the assistant app."""

from django.db import connection, transaction

from shared_apps.accounts.rules import can

from . import errors
from .endpoints import endpoint_is_refused
from .analysis import SCHEMA, deal_analysis_messages
from .client import chat_json_answer
from .models import AssistantSettings, DealAnalysis
from .selectors import assistant_own_key_allowed, deal_analysis_context


def deal_analysis_refresh(*, deal, actor) -> DealAnalysis:
    """Ask the model about `deal` and store its answer, validated against analysis.SCHEMA.
    Only who may change the deal may ask (it spends AI credits). When the call fails
    (AssistantError) nothing is stored. The model is called outside any transaction so
    that a slow answer holds no locks."""
    if not can(actor, "deals.change_deal", deal):
        raise errors.AnalysisForbidden()
    messages = deal_analysis_messages(deal_analysis_context(deal=deal, user=actor))
    answer = chat_json_answer(purpose="deal_analysis", messages=messages, schema=SCHEMA, tenant=connection.tenant)
    data = answer.data
    with transaction.atomic():
        return DealAnalysis.objects.create(
            deal=deal,
            health_score=int(data["health_score"]),
            win_probability=int(data["win_probability"]),
            win_probability_reasons=data["win_probability_reasons"],
            risks=data["risks"],
            next_actions=data["next_best_actions"],
            summary=data["summary"],
            model=answer.model[:200],
            tokens=answer.tokens,
            credits=answer.credits,
            created_by=actor,
        )


def assistant_settings_update(*, tenant, actor, base_url: str, model: str, api_key: str | None,
                              clear_key: bool = False) -> AssistantSettings:
    """Set `tenant`'s own model endpoint (Enterprise only, admins only). `api_key` None or
    "" keeps the stored key (it is never shown back, so a form cannot resend it) unless the
    base URL changes, which needs the key again; `clear_key` removes it, and the
    platform's model is used again."""
    if not can(actor, "assistant.configure"):
        raise errors.SettingsForbidden()
    if not assistant_own_key_allowed(tenant):
        raise errors.OwnKeyUnavailable()
    with transaction.atomic():
        current = AssistantSettings.objects.select_for_update().first() or AssistantSettings()
        if endpoint_is_refused(base_url.strip(), unresolved_ok=True):
            raise errors.SettingsInvalid(errors.SettingsInvalid.private_endpoint)
        moved = current.pk is not None and base_url.strip() != current.base_url
        current.base_url = base_url.strip()
        current.model = model.strip()
        if clear_key:
            current.api_key = ""
        elif api_key:
            current.api_key = api_key.strip()
        elif moved:
            # The stored key was given for the old endpoint: never send it to a new one
            # that someone who never saw the key typed in.
            current.api_key = ""
        if current.api_key and not current.model:
            raise errors.SettingsInvalid(errors.SettingsInvalid.model_needed)
        current.updated_by = actor
        current.save()
    return current
