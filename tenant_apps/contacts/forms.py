from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.records.forms import custom_data, custom_form_fields, custom_initial, member_choices
from tenant_apps.records.models import LifecycleStage, Source

SPLIT = "\n"


class ContactForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    other_emails = forms.CharField(label=_("Other e-mails"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                   help_text=_("One per line."))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    other_phones = forms.CharField(label=_("Other phones"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                   help_text=_("One per line."))
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    company_name = forms.CharField(label=_("Company"), max_length=200, required=False,
                                   widget=forms.TextInput(attrs={"list": "company-suggestions", "autocomplete": "off"}),
                                   help_text=_("An existing company of that name, or a new one."))
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    lifecycle_stage = forms.ChoiceField(label=_("Lifecycle stage"), choices=LifecycleStage.choices)
    source = forms.ChoiceField(label=_("Source"), choices=[("", "—")] + list(Source.choices), required=False)
    tags = forms.CharField(label=_("Tags"), max_length=500, required=False, help_text=_("Separated by commas."))
    website = forms.CharField(label=_("Website"), max_length=300, required=False)
    address_line1 = forms.CharField(label=_("Address"), max_length=200, required=False)
    address_line2 = forms.CharField(label=_("Address (line 2)"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    country = forms.CharField(label=_("Country"), max_length=100, required=False)
    description = forms.CharField(label=_("About"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = member_choices(members)
        self.fields.update(custom_form_fields("contact"))

    @staticmethod
    def initial_for(contact) -> dict:
        emails = list(contact.emails.all())
        phones = list(contact.phones.all())
        return {
            **{name: getattr(contact, name) for name in (
                "first_name", "last_name", "job_title", "lifecycle_stage", "source", "website", "address_line1",
                "address_line2", "postal_code", "city", "region", "country", "description")},
            "email": emails[0].email if emails else "",
            "other_emails": SPLIT.join(e.email for e in emails[1:]),
            "phone": phones[0].number if phones else "",
            "other_phones": SPLIT.join(p.number for p in phones[1:]),
            "company_name": contact.company.name if contact.company else "",
            "owner": str(contact.owner_id or ""),
            "tags": ", ".join(t.name for t in contact.tags.all()),
            **custom_initial(contact),
        }

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        emails = [data.pop("email")] + data.pop("other_emails").splitlines()
        phones = [data.pop("phone")] + data.pop("other_phones").splitlines()
        result = {k: v for k, v in data.items() if not k.startswith("cf_") and k != "company_name"}
        result["emails"] = [{"email": e.strip(), "is_primary": i == 0} for i, e in enumerate(emails) if e.strip()]
        result["phones"] = [{"number": p.strip(), "is_primary": i == 0} for i, p in enumerate(phones) if p.strip()]
        result["owner"] = data.get("owner") or None
        result["custom"] = custom_data(self.cleaned_data)
        return result


class ContactQuickForm(forms.Form):
    """The few fields of quick-create, plus any required custom fields."""

    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False, widget=forms.EmailInput)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    company_name = forms.CharField(label=_("Company"), max_length=200, required=False,
                                   help_text=_("An existing company of that name, or a new one."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update({k: f for k, f in custom_form_fields("contact").items() if f.required})

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"], "last_name": data["last_name"],
            "emails": [{"email": data["email"].strip(), "is_primary": True}] if data["email"].strip() else [],
            "phones": [{"number": data["phone"].strip(), "is_primary": True}] if data["phone"].strip() else [],
            "custom": custom_data(data),
        }
