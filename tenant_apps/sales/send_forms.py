"""The send-by-e-mail form. Addresses are checked by the service (the same rules for
every door); the form only carries the text."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DocumentSendForm(forms.Form):
    to = forms.CharField(label=_("To"), max_length=2000, help_text=_("Separate several addresses with commas."),
                         error_messages={"required": _("Enter at least one recipient's e-mail address.")})
    cc = forms.CharField(label=_("Cc"), max_length=2000, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False,
                              help_text=_("Empty means the template's subject."))
    message = forms.CharField(label=_("Message"), max_length=10_000, required=False,
                              widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("Your own words, placed in the e-mail template."))
    attach_pdf = forms.BooleanField(label=_("Attach the PDF"), required=False, initial=True)
    issue_draft = forms.BooleanField(label=_("Issue the invoice now and send it"), required=False)
    send_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, can_issue: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_issue:
            del self.fields["issue_draft"]
