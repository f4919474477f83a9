from django import forms
from django.utils.translation import gettext_lazy as _


class PortalPasswordLoginForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput, max_length=4096)


class OfferAnswerForm(forms.Form):
    """Accepting or declining an offer: the typed full name is the signature."""

    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))], widget=forms.HiddenInput)
    name = forms.CharField(label=_("Your full name"), max_length=200,
                           help_text=_("Typing your name is your signature: it is kept with the time and your IP address."))
    reason = forms.CharField(label=_("Reason (optional)"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    @property
    def accept(self) -> bool:
        return self.cleaned_data.get("decision") == "accept"


class ProfileForm(forms.Form):
    """The customer's own contact details. Not the e-mail: it is how they sign in."""

    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    address_line1 = forms.CharField(label=_("Address"), max_length=200, required=False)
    address_line2 = forms.CharField(label=_("Address (line 2)"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    country = forms.CharField(label=_("Country"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("first_name") or "").strip() and not (data.get("last_name") or "").strip():
            raise forms.ValidationError(_("Enter your name."))
        return data

    @classmethod
    def for_contact(cls, contact, data=None):
        initial = {name: getattr(contact, name) for name in cls.base_fields}
        return cls(data, initial=initial)
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
