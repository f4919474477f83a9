from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiKey

EXPIRY_CHOICES = [("", _("Never")), ("30", _("In 30 days")), ("90", _("In 90 days")), ("365", _("In a year"))]


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("What will use it, e.g. “Website sign-up form”."))
    scope = forms.ChoiceField(label=_("Access"), choices=ApiKey.Scope.choices, initial=ApiKey.Scope.READ,
                              widget=forms.RadioSelect)
    expires_in = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, required=False)
