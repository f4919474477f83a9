"""Deal analysis: what the model is asked and the shape its answer must have."""

from django.utils import translation

from .prompts import system_prompt, untrusted

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["health_score", "summary", "risks", "next_best_actions", "win_probability", "win_probability_reasons"],
    "properties": {
        "health_score": {"type": "integer", "minimum": 0, "maximum": 100},
        "summary": {"type": "string", "maxLength": 1000},
        "risks": {
            "type": "array", "maxItems": 10,
            "items": {
                "type": "object", "additionalProperties": False, "required": ["title", "detail", "severity"],
                "properties": {
                    "title": {"type": "string", "minLength": 1, "maxLength": 200},
                    "detail": {"type": "string", "maxLength": 1000},
                    "severity": {"enum": ["low", "medium", "high"]},
                },
            },
        },
        "next_best_actions": {
            "type": "array", "maxItems": 10,
            "items": {
                "type": "object", "additionalProperties": False, "required": ["action", "why"],
                "properties": {
                    "action": {"type": "string", "minLength": 1, "maxLength": 300},
                    "why": {"type": "string", "maxLength": 1000},
                },
            },
        },
        "win_probability": {"type": "integer", "minimum": 0, "maximum": 100},
        "win_probability_reasons": {
            "type": "array", "minItems": 1, "maxItems": 10,
            "items": {"type": "string", "minLength": 1, "maxLength": 500},
        },
    },
}

LANGUAGES = {"en": "English", "bg": "Bulgarian"}

TASK = (
    "Analyse one sales deal for the sales team. Judge its health (0 = lost cause, 100 = "
    "certain and on track) from its stage, amount, dates, the activity on its timeline and its "
    "open tasks; name the risks (each with a severity: low, medium or high); suggest the next best "
    "actions, most useful first, each with why; and estimate the probability of winning it (0-100) "
    "with the reasons for that number. Write every text in {language}. Be concrete and brief."
)


def deal_analysis_messages(context: dict) -> list[dict]:
    """The messages that ask for an analysis of the deal described by `context` (from
    selectors.deal_analysis_context), in the active language."""
    language = LANGUAGES.get((translation.get_language() or "en")[:2], "English")
    return [
        {"role": "system", "content": system_prompt(TASK.format(language=language))},
        {"role": "user", "content": "Analyse this deal.\n\n" + untrusted("deal", context)},
    ]
