from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportJob


class UploadForm(forms.Form):
    entity = forms.ChoiceField(label=_("Import"), choices=ImportJob.Entity.choices)
    # Empty files reach the import service, which says so in its own words.
    file = forms.FileField(
        allow_empty_file=True,
        label=_("File"), help_text=_("CSV (UTF-8, UTF-16 or Windows-1251) or XLSX, up to 50 MB. The first row names the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )


class MappingForm(forms.Form):
    """One choice per column of the file (field names col_<index>), and the mode."""

    mode = forms.ChoiceField(label=_("Rows that are not valid"), choices=ImportJob.Mode.choices, widget=forms.RadioSelect)

    def __init__(self, *args, job: ImportJob, targets, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— do not import —")), *((t.key, t.label) for t in targets)]
        self.columns = []
        for index, header in enumerate(job.headers):
            name = f"col_{index}"
            self.fields[name] = forms.ChoiceField(label=header, choices=choices, required=False,
                                                  initial=job.mapping.get(str(index), ""))
            self.columns.append(name)
        self.fields["mode"].initial = job.mode

    def mapping(self) -> dict:
        return {name[4:]: self.cleaned_data.get(name) or "" for name in self.columns}

    def column_fields(self):
        return [self[name] for name in self.columns]
