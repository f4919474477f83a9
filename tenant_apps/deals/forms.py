from django import forms
from django.utils.translation import gettext, gettext_lazy as _

from tenant_apps.records.forms import custom_data, custom_form_fields, custom_initial, member_choices

from .models import Stage


class DealForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    amount = forms.CharField(label=_("Amount"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False)
    stage = forms.ChoiceField(label=_("Stage"))
    expected_close_date = forms.DateField(label=_("Expected close date"), required=False,
                                          widget=forms.DateInput(attrs={"type": "date"}))
    company_name = forms.CharField(label=_("Company"), max_length=200, required=False,
                                   widget=forms.TextInput(attrs={"list": "company-suggestions", "autocomplete": "off"}))
    contact_ids = forms.CharField(required=False, widget=forms.HiddenInput)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    tags = forms.CharField(label=_("Tags"), max_length=500, required=False, help_text=_("Separated by commas."))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, members=(), pipelines=(), creating=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = member_choices(members)
        self.fields["stage"].choices = [
            (pipeline.name, [(str(s.pk), s.name) for s in pipeline.stages.all() if not creating or s.kind == Stage.Kind.OPEN])
            for pipeline in pipelines
        ]
        self.fields.update(custom_form_fields("deal"))

    @staticmethod
    def initial_for(deal) -> dict:
        return {
            "title": deal.title, "amount": deal.amount, "currency": deal.currency, "stage": str(deal.stage_id),
            "expected_close_date": deal.expected_close_date, "company_name": deal.company.name if deal.company else "",
            "contact_ids": ",".join(str(c.pk) for c in deal.contacts.all()), "owner": str(deal.owner_id or ""),
            "tags": ", ".join(t.name for t in deal.tags.all()), "description": deal.description, **custom_initial(deal),
        }

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("cf_") and k not in ("company_name", "contact_ids")}
        data["owner"] = data.get("owner") or None
        data["amount"] = (data.get("amount") or "").replace(" ", "").replace(",", ".") or None
        if not data.get("currency"):
            data.pop("currency", None)
        data["contacts"] = [c for c in (self.cleaned_data.get("contact_ids") or "").split(",") if c.strip()]
        data["custom"] = custom_data(self.cleaned_data)
        return data


class LostForm(forms.Form):
    reason = forms.CharField(label=_("Why was it lost?"), max_length=200)


class QuickDealForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    amount = forms.CharField(label=_("Amount"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    expected_close_date = forms.DateField(label=_("Expected close date"), required=False,
                                          widget=forms.DateInput(attrs={"type": "date"}))


class DealQuickCreateForm(forms.Form):
    """Quick-create: a deal in the first stage of the default pipeline."""

    title = forms.CharField(label=_("Title"), max_length=200)
    amount = forms.CharField(label=_("Amount"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    company_name = forms.CharField(label=_("Company"), max_length=200, required=False,
                                   help_text=_("An existing company of that name, or a new one."))
    expected_close_date = forms.DateField(label=_("Expected close date"), required=False,
                                          widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update({k: f for k, f in custom_form_fields("deal").items() if f.required})

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("cf_") and k != "company_name"}
        data["amount"] = (data.get("amount") or "").replace(" ", "").replace(",", ".") or None
        data["custom"] = custom_data(self.cleaned_data)
        return data


class PipelineForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    is_default = forms.BooleanField(label=_("Default pipeline"), required=False,
                                    help_text=_("New deals go here unless another pipeline is chosen."))


class NewPipelineForm(PipelineForm):
    stages = forms.CharField(
        label=_("Open stages"), widget=forms.Textarea(attrs={"rows": 6}),
        initial=lambda: "\n".join(f"{name} {p}" for name, p in (
            (gettext("Qualified"), 10), (gettext("Proposal sent"), 60), (gettext("Negotiation"), 80))),
        help_text=_("One stage per line, in order, each followed by its win probability in per cent. "
                    "Won and Lost are added for you."),
    )

    def clean_stages(self):
        stages = []
        for number, line in enumerate(self.cleaned_data["stages"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            name, _sep, probability = line.rpartition(" ")
            if not name or not probability.rstrip("%").isdigit() or int(probability.rstrip("%")) > 100:
                raise forms.ValidationError(
                    _("Line %(n)d: write the stage's name, a space and a probability from 0 to 100.") % {"n": number}
                )
            stages.append((name.strip()[:100], int(probability.rstrip("%"))))
        if not stages:
            raise forms.ValidationError(_("Add at least one stage."))
        return stages


class StageForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    probability = forms.IntegerField(label=_("Win probability (%)"), min_value=0, max_value=100)
