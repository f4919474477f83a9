"""Forms of ticket pages. Files come from request.FILES["attachments"] (several per
message); their limits are checked by the services, whose errors land on the form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .attachments import ACCEPT, MAX_PER_MESSAGE
from .models import Ticket
from .services import MAX_BODY, MAX_SUBJECT


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; what they may be is the service's to check."""

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [item for item in data if item]
        return [data] if data else []


def _attachments_field():
    return MultipleFileField(
        label=_("Attachments"), required=False,
        widget=MultipleFileInput(attrs={"multiple": True, "accept": ACCEPT}),
        help_text=_("Up to %(n)d files of at most 10 MB each: PDF, images, text, office documents, ZIP.")
        % {"n": MAX_PER_MESSAGE},
    )


class _ServiceErrors:
    def add_service_errors(self, errors: dict) -> None:
        for field, problems in errors.items():
            for problem in problems if isinstance(problems, list | tuple) else [problems]:
                self.add_error(field if field in self.fields else None, problem)


class ReplyForm(_ServiceErrors, forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}), max_length=MAX_BODY)
    attachments = _attachments_field()

    def __init__(self, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if staff:
            self.fields["internal"] = forms.BooleanField(
                label=_("Internal note (only the team sees it; the customer is not told)"), required=False
            )


class TicketOpenForm(ReplyForm):
    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT)
    field_order = ["subject", "body", "attachments"]


class TicketUpdateForm(_ServiceErrors, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Ticket.Status.choices)
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Ticket.Priority.choices, coerce=int)
    assignee = forms.TypedChoiceField(label=_("Assignee"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, assignees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Nobody")), *assignees]


class TicketCreateForm(_ServiceErrors, forms.Form):
    """Staff open a ticket for a contact (a call or a letter written down); the first
    message is e-mailed to the customer like every answer."""

    contact = forms.IntegerField(widget=forms.HiddenInput)
    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT)
    body = forms.CharField(label=_("Message to the customer"), widget=forms.Textarea(attrs={"rows": 6}),
                           max_length=MAX_BODY)
    attachments = _attachments_field()
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Ticket.Priority.choices, coerce=int,
                                      initial=Ticket.Priority.NORMAL)
    assignee = forms.TypedChoiceField(label=_("Assignee"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, assignees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Nobody")), *assignees]
