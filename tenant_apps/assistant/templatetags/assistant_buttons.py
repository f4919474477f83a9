"""The assistant's buttons on record pages and in the template editor. When no model is
configured they still show, disabled, with the reason, instead of failing on click."""

from django import template

from shared_apps.accounts.rules import can

from ..client import assistant_available

register = template.Library()


def _availability(context) -> tuple[bool, str]:
    # The context processor's answer when there is one (asked once per page, lazily).
    if "assistant_available" in context:
        return bool(context["assistant_available"]), str(context.get("assistant_unavailable_reason", ""))
    if "_assistant_availability" not in context.render_context:
        request = context.get("request")
        context.render_context["_assistant_availability"] = assistant_available(getattr(request, "tenant", None))
    return context.render_context["_assistant_availability"]


@register.inclusion_tag("assistant/_draft_button.html", takes_context=True)
def ai_draft_button(context, entity, record):
    request = context.get("request")
    available, reason = _availability(context)
    return {"show": request is not None and can(request.user, "activities.log"), "available": available,
            "reason": reason, "entity": entity, "record": record}


@register.inclusion_tag("assistant/_generate_button.html", takes_context=True)
def ai_template_button(context, key):
    available, reason = _availability(context)
    return {"available": available, "reason": reason, "key": key}
