"""Template generation: a document or e-mail template written by the model from a member's
prompt, using the variables of tenant_apps/templates/catalogue.py.

The answer is structured (a JSON object validated against a schema by the client) and is
saved through templates.services.template_save, which renders it with every kind of sample
data in the sandbox first: a template that does not render is refused with the sandbox's
error and nothing is saved. The model call happens before, outside any transaction."""


from shared_apps.accounts.errors import PermissionDeniedError
from shared_apps.accounts.rules import can
from tenant_apps.templates.catalogue import TemplateKey, variables_for
from tenant_apps.templates.defaults import Content
from tenant_apps.templates.errors import GeneratedTemplateRejected, TemplateError
from tenant_apps.templates.models import TemplateKind, TemplateVersion
from tenant_apps.templates.sandbox import MAX_SOURCE
from tenant_apps.templates.selectors import template_content
from tenant_apps.templates.services import template_save

from .client import chat_json
from .prompts import system_prompt, untrusted

PROMPT_LIMIT = 2000
# The active template shown to the model as an example of the syntax and the variables.
EXAMPLE_LIMIT = 12_000

_TEXT = {"type": "string", "maxLength": MAX_SOURCE}
EMAIL_SCHEMA = {
    "type": "object",
    "properties": {"subject": {"type": "string", "minLength": 1, "maxLength": 255},
                   "html": {**_TEXT, "minLength": 1}, "text": _TEXT},
    "required": ["subject", "html", "text"],
    "additionalProperties": False,
}
DOCUMENT_SCHEMA = {
    "type": "object",
    "properties": {"html": {**_TEXT, "minLength": 1}, "css": _TEXT},
    "required": ["html", "css"],
    "additionalProperties": False,
}
_LANGUAGE_PROMPTS = {"en": "English", "bg": "Bulgarian (written in Cyrillic)"}
_EMAIL_PURPOSES = {"offer": "sending an offer", "invoice": "sending an invoice",
                   "credit_note": "sending a credit note", "reminder": "a payment reminder for an overdue invoice"}



def _variables(kind: str) -> str:
    return "\n".join(f"- {name}: {description}" for name, description in variables_for(kind))


def _task(key: TemplateKey) -> str:
    syntax = (
        "Templates use Jinja syntax in a sandbox: {{ variable }} inserts a value (escaped for HTML), "
        "{% if %} and {% for %} for conditions and lists, filters such as |nl2br. Use ONLY the variables listed "
        "below; any other name makes the template fail. No <script>, no external resources.\n"
        f"Variables:\n{_variables(key.kind)}"
    )
    if key.kind == TemplateKind.EMAIL:
        what = (
            f"Write an e-mail template for {_EMAIL_PURPOSES.get(key.name, key.name)}, in "
            f"{_LANGUAGE_PROMPTS.get(key.language, 'English')}. Answer with a JSON object with the keys "
            "\"subject\" (one line, may use variables), \"html\" (the HTML body, inline styles only) and "
            "\"text\" (the plain-text version, or an empty string)."
        )
    else:
        what = (
            "Write the HTML and CSS of a PDF layout for offers, invoices and credit notes (the same layout "
            "serves all three and both languages: take headings from labels.*). Answer with a JSON object with "
            "the keys \"html\" (the document body) and \"css\" (the stylesheet, without </ anywhere)."
        )
    return f"{what}\n\n{syntax}"


def template_generation_messages(*, key: TemplateKey, prompt: str) -> list[dict]:
    active = template_content(kind=key.kind, name=key.name, language=key.language)
    example = {"html": active.html[:EXAMPLE_LIMIT]}
    if key.kind == TemplateKind.EMAIL:
        example["subject"] = active.subject
    else:
        example["css"] = active.css[:EXAMPLE_LIMIT]
    return [
        {"role": "system", "content": system_prompt(_task(key))},
        # The workspace's current template: an example of the syntax, written by its admins.
        {"role": "user", "content": untrusted("current_template", example)},
        {"role": "user", "content": "What the new template should be like: " + prompt},
    ]


def _clean_prompt(prompt: str) -> str:
    prompt = (prompt or "").strip()
    if not prompt:
        raise TemplateError("prompt_required", part="prompt")
    if len(prompt) > PROMPT_LIMIT:
        raise TemplateError("prompt_too_long", part="prompt", limit=PROMPT_LIMIT)
    return prompt


def template_generate(*, key: TemplateKey, prompt: str, actor) -> TemplateVersion:
    """Generate a template from `prompt` and save it as the newest version of `key` if it
    renders with sample data. Raises PermissionDeniedError, TemplateError (the prompt),
    AssistantError (the model) or GeneratedTemplateRejected (the sandbox; nothing saved)."""
    if not can(actor, "doc_templates.edit"):
        raise PermissionDeniedError()
    prompt = _clean_prompt(prompt)
    schema = EMAIL_SCHEMA if key.kind == TemplateKind.EMAIL else DOCUMENT_SCHEMA
    answer = chat_json(purpose="template_generation", messages=template_generation_messages(key=key, prompt=prompt),
                       schema=schema)
    content = Content(number=0, subject=answer.get("subject", ""), html=answer["html"], css=answer.get("css", ""),
                      text=answer.get("text", ""))
    try:
        return template_save(key=key, subject=content.subject, html=content.html, css=content.css, text=content.text,
                             actor=actor)
    except TemplateError as exc:
        raise GeneratedTemplateRejected(exc, content=content) from exc
