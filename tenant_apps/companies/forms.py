from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.records.forms import custom_data, custom_form_fields, custom_initial, member_choices
from tenant_apps.records.models import LifecycleStage, Source

from .models import CompanySize, Industry

FIELDS = ("name", "website", "email", "phone", "industry", "size", "tax_id", "address_line1", "address_line2",
          "postal_code", "city", "region", "country", "description", "lifecycle_stage", "source")


class CompanyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    website = forms.CharField(label=_("Website"), max_length=300, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False, widget=forms.EmailInput)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    industry = forms.ChoiceField(label=_("Industry"), choices=[("", "—")] + list(Industry.choices), required=False)
    size = forms.ChoiceField(label=_("Size"), choices=[("", "—")] + list(CompanySize.choices), required=False)
    tax_id = forms.CharField(label=_("Tax / VAT number"), max_length=40, required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    lifecycle_stage = forms.ChoiceField(label=_("Lifecycle stage"), choices=LifecycleStage.choices)
    source = forms.ChoiceField(label=_("Source"), choices=[("", "—")] + list(Source.choices), required=False)
    tags = forms.CharField(label=_("Tags"), max_length=500, required=False, help_text=_("Separated by commas."))
    address_line1 = forms.CharField(label=_("Address"), max_length=200, required=False)
    address_line2 = forms.CharField(label=_("Address (line 2)"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    country = forms.CharField(label=_("Country"), max_length=100, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = member_choices(members)
        self.fields.update(custom_form_fields("company"))

    @staticmethod
    def initial_for(company) -> dict:
        return {
            **{name: getattr(company, name) for name in FIELDS},
            "owner": str(company.owner_id or ""),
            "tags": ", ".join(t.name for t in company.tags.all()),
            **custom_initial(company),
        }

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("cf_")}
        data["owner"] = data.get("owner") or None
        data["custom"] = custom_data(self.cleaned_data)
        return data


class CompanyQuickForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    website = forms.CharField(label=_("Website"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update({k: f for k, f in custom_form_fields("company").items() if f.required})

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("cf_")}
        data["custom"] = custom_data(self.cleaned_data)
        return data
