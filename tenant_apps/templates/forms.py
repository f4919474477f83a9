from django import forms
from django.utils.translation import gettext_lazy as _

from .catalogue import LANGUAGES
from .models import TemplateKind
from .sandbox import MAX_SOURCE

SAMPLE_KINDS = (("invoice", _("Invoice")), ("offer", _("Offer")), ("credit_note", _("Credit note")))


class TemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=255, required=False)
    html = forms.CharField(label=_("HTML"), max_length=MAX_SOURCE, strip=False,
                           widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false", "class": "code"}))
    css = forms.CharField(label=_("CSS"), max_length=MAX_SOURCE, required=False, strip=False,
                          widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false", "class": "code"}))
    text = forms.CharField(
        label=_("Plain-text version"), max_length=MAX_SOURCE, required=False, strip=False,
        help_text=_("Leave empty to derive it from the HTML."),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "class": "code"}),
    )
    sample_kind = forms.ChoiceField(label=_("Preview as"), choices=SAMPLE_KINDS, required=False)
    sample_language = forms.ChoiceField(label=_("Preview language"), choices=LANGUAGES, required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        if kind == TemplateKind.DOCUMENT:
            for name in ("subject", "text"):
                del self.fields[name]
        else:
            self.fields["subject"].required = True
            for name in ("css", "sample_kind", "sample_language"):
                del self.fields[name]
