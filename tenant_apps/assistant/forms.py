from django import forms
from django.utils.translation import gettext_lazy as _


class AssistantSettingsForm(forms.Form):
    base_url = forms.URLField(
        label=_("Base URL"), required=False, max_length=300, assume_scheme="https",
        help_text=_("Of any OpenAI-compatible API, e.g. https://api.openai.com/v1 or your own server. "
                    "Empty: OpenAI."),
    )
    model = forms.CharField(label=_("Model"), required=False, max_length=200)
    api_key = forms.CharField(
        label=_("API key"), required=False, max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Never shown again once saved. Leave empty to keep the saved key."),
    )
    clear_key = forms.BooleanField(label=_("Remove the saved key and use the platform's model"), required=False)
