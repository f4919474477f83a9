from django import forms
from django.utils.translation import gettext_lazy as _


class PortalPasswordLoginForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput, max_length=4096)
