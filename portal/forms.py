from django import forms
from django.utils.translation import gettext_lazy as _


class PortalPasswordLoginForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput, max_length=4096)


class PortalEmailForm(forms.Form):
    """Just an address: for a sign-in link, a self-signup or a password reset."""

    email = forms.EmailField(label=_("E-mail"), max_length=254)


class PortalPasswordChoiceForm(forms.Form):
    password1 = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput, max_length=4096)
    password2 = forms.CharField(label=_("New password (again)"), strip=False, widget=forms.PasswordInput, max_length=4096)

    def __init__(self, *args, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("password1", "password2"):
            self.fields[name].required = required

    def clean(self):
        data = super().clean()
        if data.get("password1", "") != data.get("password2", ""):
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class PortalInviteAcceptForm(PortalPasswordChoiceForm):
    """Accepting an invitation: a password is optional (sign-in links work without one)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, required=False, **kwargs)
        self.fields["password1"].label = _("Password (optional)")
        self.fields["password1"].help_text = _("Without one you sign in with a link we e-mail you.")
        self.fields["password2"].label = _("Password (again)")


class PortalPasswordChangeForm(PortalPasswordChoiceForm):
    current_password = forms.CharField(label=_("Current password"), strip=False, widget=forms.PasswordInput,
                                       max_length=4096, required=False)
    field_order = ["current_password", "password1", "password2"]

    def __init__(self, *args, has_password=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_password:
            del self.fields["current_password"]
