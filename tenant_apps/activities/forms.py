from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Activity, ActivityKind

LOG_KINDS = [(k, label) for k, label in ActivityKind.choices if k != ActivityKind.SYSTEM]


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=LOG_KINDS)
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    body = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Markdown: **bold**, *italic*, lists, links."))
    occurred_at = forms.DateTimeField(label=_("When"), required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), required=False, min_value=0, max_value=1440)
    direction = forms.ChoiceField(label=_("Direction"), choices=[("", "—")] + list(Activity.Direction.choices), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—")] + list(Activity.Outcome.choices), required=False)
