import functools
import zoneinfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from themes.colours import validate_hex_colour
from themes.errors import LOGO_HELP, LOGO_MAX_BYTES

CURRENCIES = ["EUR", "BGN", "USD", "GBP", "CHF", "RON", "PLN", "CZK", "SEK", "DKK", "NOK", "HUF"]


class CompanyProfileForm(forms.Form):
    name = forms.CharField(label=_("Workspace name"), max_length=120)
    legal_name = forms.CharField(label=_("Legal name"), max_length=200, required=False)
    tax_id = forms.CharField(label=_("Tax / VAT number"), max_length=40, required=False)
    email = forms.EmailField(label=_("Contact e-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    address_line1 = forms.CharField(label=_("Address"), max_length=200, required=False)
    address_line2 = forms.CharField(label=_("Address (line 2)"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    country = forms.CharField(label=_("Country"), max_length=100, required=False)
    default_language = forms.ChoiceField(
        label=_("Default language"), choices=settings.LANGUAGES,
        help_text=_("Used for e-mails to people who have not chosen a language, such as invitations."),
    )
    default_currency = forms.ChoiceField(label=_("Default currency"), choices=[(c, c) for c in CURRENCIES])
    timezone = forms.ChoiceField(label=_("Time zone"))
    phone_region = forms.ChoiceField(
        label=_("Country for phone numbers"),
        help_text=_("Numbers written without a country code are read as this country's."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = _timezone_choices()
        self.fields["phone_region"].choices = _phone_region_choices()


@functools.cache
def _phone_region_choices():
    import phonenumbers

    return [
        (region, f"{region} (+{phonenumbers.country_code_for_region(region)})")
        for region in sorted(phonenumbers.SUPPORTED_REGIONS)
    ]


@functools.cache
def _timezone_choices():
    # available_timezones() walks the tz database on every call.
    return [(zone, zone) for zone in sorted(zoneinfo.available_timezones()) if "/" in zone]


class BrandingForm(forms.Form):
    primary_colour = forms.CharField(
        label=_("Primary colour"), max_length=7, validators=[validate_hex_colour],
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    accent_colour = forms.CharField(
        label=_("Accent colour"), max_length=7, validators=[validate_hex_colour],
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    logo = forms.FileField(
        label=_("Logo"), required=False, help_text=LOGO_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if upload and upload.size > LOGO_MAX_BYTES * 4:
            # Do not even read a file this large; the service gives the precise message.
            raise forms.ValidationError(_("The logo must be at most 2 MB."), code="logo_too_large")
        return upload


class SecurityPolicyForm(forms.Form):
    require_2fa = forms.BooleanField(
        label=_("Require two-factor authentication for every member"), required=False,
        help_text=_("Members without it are asked to set it up the next time they open the workspace."),
    )
