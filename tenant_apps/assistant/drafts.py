"""E-mail drafts for a contact or a deal: what grounds them and the prompts that ask for them.

Only reads happen here. The record comes through the records' selectors with the asking
member's visibility, its recent timeline through timeline_for (same rules), and everything
taken from a record goes into the prompt inside an untrusted block: a note that says
"ignore previous instructions" is text to write about, never an instruction. Nothing of any
other record of the workspace, and nothing of any other workspace, is ever put in."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tenant_apps.records.errors import RecordNotFound

from .prompts import system_prompt, untrusted

ENTITIES = ("contact", "deal")

PURPOSES = (
    ("follow_up", _("Follow up")),
    ("introduction", _("Introduce ourselves")),
    ("meeting_request", _("Ask for a meeting")),
    ("proposal", _("Send a proposal")),
    ("check_in", _("Check in")),
    ("thank_you", _("Say thank you")),
)
TONES = (
    ("friendly", _("Friendly")),
    ("formal", _("Formal")),
    ("concise", _("Short and direct")),
    ("persuasive", _("Persuasive")),
)
LANGUAGES = (("en", _("English")), ("bg", _("Bulgarian")))

# What the model is told, in its own words (prompts are written in English whatever the
# member's language; the language of the e-mail is an instruction of its own).
_PURPOSE_PROMPTS = {
    "follow_up": "follow up on the latest conversation and propose a concrete next step",
    "introduction": "introduce our company and ask whether there is interest in talking",
    "meeting_request": "ask for a short meeting and suggest that they propose a time",
    "proposal": "present our proposal for this opportunity and invite questions",
    "check_in": "check in politely after a period of silence",
    "thank_you": "thank them for their time and summarise what was agreed",
}
_TONE_PROMPTS = {
    "friendly": "warm and friendly, but professional",
    "formal": "formal and polite",
    "concise": "short and direct: at most five sentences",
    "persuasive": "confident and persuasive, without exaggerating",
}
_LANGUAGE_PROMPTS = {"en": "English", "bg": "Bulgarian (written in Cyrillic)"}

TIMELINE_ENTRIES = 12
ENTRY_TEXT_LIMIT = 800
INSTRUCTIONS_LIMIT = 500
MAX_SUBJECTS = 5

SUBJECTS_SCHEMA = {
    "type": "object",
    "properties": {
        "subjects": {
            "type": "array",
            "items": {"type": "string", "minLength": 1, "maxLength": 200},
            "minItems": 1,
            "maxItems": MAX_SUBJECTS,
        },
    },
    "required": ["subjects"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class DraftRequest:
    entity: str
    purpose: str
    tone: str
    language: str
    instructions: str = ""


def draft_record(*, user, entity: str, pk: int):
    """The contact or deal `user` may see; RecordNotFound otherwise (also for an unknown entity)."""
    from tenant_apps.contacts.selectors import contact_get
    from tenant_apps.deals.selectors import deal_get

    getters = {"contact": contact_get, "deal": deal_get}
    if entity not in getters:
        raise RecordNotFound()
    return getters[entity](user=user, pk=pk)


def draft_recipient(*, record, entity: str, user) -> str:
    """The address a draft would go to, for the mail app link: the contact's primary
    e-mail, or the first contact of the deal that has one and that `user` may see."""
    if entity == "contact":
        contacts = [record]
    else:
        from tenant_apps.contacts.models import Contact
        from tenant_apps.records.visibility import visible

        contacts = list(visible(Contact.objects.filter(pk__in=[c.pk for c in record.contacts.all()]), user)
                        .order_by("pk").prefetch_related("emails"))
    for contact in contacts:
        if contact.email:
            return contact.email
        for row in contact.emails.all():
            return row.email
    return ""


def _clip(text: str, limit: int = ENTRY_TEXT_LIMIT) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[:limit] + "…"


def _timeline(*, user, entity: str, record) -> list[dict]:
    from tenant_apps.activities.selectors import timeline_for

    entries = []
    for activity in timeline_for(user=user, limit=TIMELINE_ENTRIES, **{entity: record}):
        entry = {"type": activity.kind, "when": activity.occurred_at.date().isoformat()}
        if activity.event:
            entry["event"] = activity.event
        if activity.direction:
            entry["direction"] = activity.direction
        if activity.subject:
            entry["subject"] = _clip(activity.subject, 200)
        if activity.body:
            entry["text"] = _clip(activity.body)
        entries.append(entry)
    return entries


def _contact_facts(contact) -> dict:
    facts = {"name": str(contact), "job_title": contact.job_title, "lifecycle_stage": contact.lifecycle_stage}
    if contact.company_id:
        facts["company"] = contact.company.name
    if contact.description:
        facts["about"] = _clip(contact.description)
    return {key: value for key, value in facts.items() if value}


def _deal_facts(deal, user) -> dict:
    from tenant_apps.records.visibility import visible

    facts = {
        "title": deal.title,
        "pipeline": deal.pipeline.name,
        "stage": deal.stage.name,
        "status": deal.status,
        "amount": f"{deal.amount} {deal.currency}" if deal.amount is not None else "",
        "expected_close_date": deal.expected_close_date.isoformat() if deal.expected_close_date else "",
        "company": deal.company.name if deal.company_id else "",
        "description": _clip(deal.description),
    }
    # Only the deal's contacts this member may see, like on the deal page.
    contact_ids = [c.pk for c in deal.contacts.all()]
    if contact_ids:
        from tenant_apps.contacts.models import Contact

        facts["contacts"] = [
            _contact_facts(c) for c in visible(Contact.objects.filter(pk__in=contact_ids), user).select_related("company")
        ]
    return {key: value for key, value in facts.items() if value}


def _open_deals_of(contact, user) -> list[dict]:
    from tenant_apps.deals.models import Deal
    from tenant_apps.records.visibility import visible

    deals = visible(Deal.objects.filter(contacts=contact, status="open"), user).select_related("stage")
    return [{"title": d.title, "stage": d.stage.name} for d in deals.order_by("-created_at")[:5]]


def draft_grounding(*, user, entity: str, record) -> dict:
    """The record data a draft is written from: the record, its stage, its recent timeline."""
    if entity == "contact":
        data = {"contact": _contact_facts(record)}
        deals = _open_deals_of(record, user)
        if deals:
            data["open_deals"] = deals
    else:
        data = {"deal": _deal_facts(record, user)}
    data["recent_timeline"] = _timeline(user=user, entity=entity, record=record)
    sender = getattr(user, "display_name", "") or ""
    if sender:
        data["sender_name"] = sender
    return data


def _task(request: DraftRequest) -> str:
    subject = "the contact described" if request.entity == "contact" else "the main contact of the deal described"
    task = (
        f"Write the body of a sales e-mail to {subject} in the record data. "
        f"Purpose: {_PURPOSE_PROMPTS[request.purpose]}. Tone: {_TONE_PROMPTS[request.tone]}. "
        f"Write it in {_LANGUAGE_PROMPTS[request.language]}. "
        "Ground it in the record data (the deal stage and the recent timeline); do not invent facts, prices or dates. "
        "Answer with the e-mail body only, as plain text: a greeting, the message and a sign-off with the "
        "sender's name; no subject line, no Markdown, no commentary."
    )
    return task


def _member_instructions(request: DraftRequest) -> list[dict]:
    # The member's own words are theirs to give (they are signed in and asked for this
    # draft), so they go as an instruction, but after the data and clearly labelled.
    if not request.instructions:
        return []
    return [{"role": "user", "content": "Additional wishes of the sender: " + request.instructions[:INSTRUCTIONS_LIMIT]}]


def draft_messages(*, request: DraftRequest, grounding: dict) -> list[dict]:
    """The chat messages asking for the body of the e-mail."""
    return [
        {"role": "system", "content": system_prompt(_task(request))},
        {"role": "user", "content": untrusted("record", grounding)},
        *_member_instructions(request),
    ]


def subject_messages(*, request: DraftRequest, grounding: dict, body: str = "") -> list[dict]:
    """The chat messages asking for subject lines (a JSON object, see SUBJECTS_SCHEMA)."""
    task = (
        f"Suggest up to {MAX_SUBJECTS} short subject lines (at most 80 characters each) for a sales e-mail "
        f"whose purpose is to {_PURPOSE_PROMPTS[request.purpose]}, written in {_LANGUAGE_PROMPTS[request.language]}, "
        f"tone: {_TONE_PROMPTS[request.tone]}. Answer with a JSON object: {{\"subjects\": [\"...\"]}} and nothing else."
    )
    messages = [
        {"role": "system", "content": system_prompt(task)},
        {"role": "user", "content": untrusted("record", grounding)},
    ]
    if body.strip():
        # The draft as the member has it: their edit of what the model wrote, so still data.
        messages.append({"role": "user", "content": untrusted("draft", _clip(body, 6000))})
    return messages + _member_instructions(request)


def clean_subjects(answer: dict) -> list[str]:
    """The validated answer's subjects, stripped, without duplicates or blanks."""
    seen, subjects = set(), []
    for subject in answer.get("subjects", []):
        subject = " ".join(str(subject).split())[:200]
        if subject and subject.lower() not in seen:
            seen.add(subject.lower())
            subjects.append(subject)
    return subjects[:MAX_SUBJECTS]
