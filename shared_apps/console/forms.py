from django import forms
from django.utils.translation import gettext_lazy as _

from billing.models import Plan
from shared_apps.audit.models import EventKind
from tenants.models import Tenant


class TenantFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status"))] + list(Tenant.Status.choices))
    plan = forms.ModelChoiceField(
        label=_("Plan"), required=False, queryset=Plan.objects.all(), to_field_name="code", empty_label=_("Any plan")
    )
    created_from = forms.DateField(label=_("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    created_to = forms.DateField(label=_("Created until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Event"), required=False, choices=[("", _("Any event"))] + list(EventKind.choices))
    tenant = forms.CharField(label=_("Workspace"), required=False, max_length=40)
    actor = forms.CharField(label=_("User"), required=False, max_length=254)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
