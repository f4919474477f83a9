"""Forms of the e-mail draft page and of template generation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .drafts import INSTRUCTIONS_LIMIT, LANGUAGES, PURPOSES, TONES, DraftRequest
from .template_generation import PROMPT_LIMIT


class DraftForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=PURPOSES)
    tone = forms.ChoiceField(label=_("Tone"), choices=TONES)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    instructions = forms.CharField(
        label=_("Anything else to say"), required=False, max_length=INSTRUCTIONS_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional, e.g. \"mention the demo on Friday\"."),
    )

    def draft_request(self, entity: str) -> DraftRequest:
        data = self.cleaned_data
        return DraftRequest(entity=entity, purpose=data["purpose"], tone=data["tone"], language=data["language"],
                            instructions=data["instructions"].strip())


class SubjectsForm(DraftForm):
    # The draft as it stands in the editor, so the subjects fit what will be sent.
    body = forms.CharField(required=False, max_length=20_000, strip=False)


class TemplateGenerateForm(forms.Form):
    prompt = forms.CharField(
        label=_("Describe the template"), max_length=PROMPT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For example: \"a short, friendly reminder that mentions the amount owed and the due date\"."),
    )
