from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Domain


class DomainAddForm(forms.Form):
    domain = forms.CharField(
        label=_("Domain"), max_length=300,
        help_text=_("A host name you own, such as crm.example.com. International names are fine."),
        widget=forms.TextInput(attrs={"placeholder": "crm.example.com", "autocomplete": "off", "spellcheck": "false"}),
    )
    surface = forms.ChoiceField(label=_("Leads to"), choices=Domain.Surface.choices, initial=Domain.Surface.APP)


class DomainFilterForm(forms.Form):
    STATUS_CHOICES = [("", _("Any status")), ("verified", _("Verified")), ("pending", _("Waiting for DNS"))]

    q = forms.CharField(label=_("Domain or workspace"), max_length=100, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
