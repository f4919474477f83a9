from django import forms
from django.utils.translation import gettext_lazy as _

from .catalogue import FEATURE_LABELS
from .models import Interval, Plan


class PlanChoiceForm(forms.Form):
    """A paid plan and how often to pay for it, as chosen on the billing page."""

    plan = forms.ModelChoiceField(
        queryset=Plan.objects.filter(is_public=True).exclude(code="free"), to_field_name="code",
        error_messages={"invalid_choice": _("Choose one of the plans shown.")},
    )
    interval = forms.ChoiceField(choices=Interval.choices)


class PlanForm(forms.ModelForm):
    """A plan of the catalogue, edited by platform staff in the console."""

    features = forms.MultipleChoiceField(
        label=_("Features"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(code, label) for code, label in FEATURE_LABELS.items()],
    )

    class Meta:
        model = Plan
        fields = [
            "name", "tagline", "currency", "price_monthly", "price_yearly", "stripe_price_monthly",
            "stripe_price_yearly", "max_seats", "max_contacts", "max_storage_mb", "max_emails_per_month",
            "ai_credits_per_month", "features", "is_public", "sort_order",
        ]
        labels = {"currency": _("Currency"), "is_public": _("Shown on the pricing page"), "sort_order": _("Order")}
        help_texts = {
            "stripe_price_monthly": _("The id of the recurring Price in Stripe, e.g. price_1Abc…"),
            "max_seats": _("Leave empty for no limit."),
        }

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(_("Use a three-letter ISO currency code, e.g. EUR."))
        return currency

    def _clean_price_id(self, name):
        value = self.cleaned_data[name].strip()
        if value and not value.startswith("price_"):
            raise forms.ValidationError(_("A Stripe price id starts with “price_”."))
        return value

    def clean_stripe_price_monthly(self):
        return self._clean_price_id("stripe_price_monthly")

    def clean_stripe_price_yearly(self):
        return self._clean_price_id("stripe_price_yearly")


class PlanOverrideForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.all(), to_field_name="code")
    note = forms.CharField(label=_("Reason"), min_length=5, max_length=200)
