"""The task form: due date and time are entered in the workspace's time zone; the linked
record is a "contact:12"-style value chosen from a select that a search fills (no JS)."""

from datetime import date, datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Task
from .selectors import RECORD_TYPES, link_parse

DEFAULT_TIME = time(9, 0)
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)
# Form field for each service error key.
ERROR_FIELDS = {"due_at": "due_date", "record": "link", "contact": "link", "company": "link", "deal": "link"}


class TaskForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter what needs to be done.")}
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a valid date, such as 2026-03-31.")},
    )
    due_time = forms.TimeField(
        label=_("Time"),
        required=False,
        input_formats=["%H:%M", "%H:%M:%S", "%H.%M"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Empty means 9:00."),
        error_messages={"invalid": _("Enter a valid time, such as 14:30.")},
    )
    assignee = forms.TypedChoiceField(
        label=_("Assignee"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a member of this workspace.")},
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=Task.Priority.choices,
        initial=Task.Priority.NORMAL,
        error_messages={"invalid_choice": _("Choose a priority from the list.")},
    )
    link = forms.CharField(label=_("Linked record"), required=False, widget=forms.Select)
    link_query = forms.CharField(label=_("Find a contact, company or deal"), required=False, max_length=100)

    def __init__(self, *args, assignees, link_choices, zone, **kwargs):
        """`assignees`: (user id, name) pairs; `link_choices`: (link value, label) pairs."""
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["assignee"].choices = list(assignees)
        self.fields["link"].widget.choices = [("", _("None")), *link_choices]
        self.fields["link_query"].widget.attrs["type"] = "search"

    def clean_due_date(self):
        value = self.cleaned_data.get("due_date")
        if value is not None and not EARLIEST <= value <= LATEST:
            raise ValidationError(_("Enter a date between 2000 and 2999."))
        return value

    def clean_link(self):
        value = (self.cleaned_data.get("link") or "").strip()
        if value and link_parse(value) is None:
            raise ValidationError(_("Choose a record from the list."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("due_time") and not data.get("due_date") and "due_date" not in self.errors:
            self.add_error("due_date", _("Enter a date for this time."))
        return data

    def due_at(self):
        data = self.cleaned_data
        if not data.get("due_date"):
            return None
        return timezone.make_aware(datetime.combine(data["due_date"], data.get("due_time") or DEFAULT_TIME), self.zone)

    def service_data(self, *, actor, task: Task | None = None) -> dict:
        """The keys task_create / task_update take. On an edit, an unchanged assignee or
        link is left out, so that a task keeps a link its editor cannot see."""
        data = self.cleaned_data
        result = {
            "title": data["title"],
            "description": data.get("description") or "",
            "due_at": self.due_at(),
            "priority": data.get("priority") or (task.priority if task else Task.Priority.NORMAL),
        }
        assignee = data.get("assignee") or (task.assignee_id if task else actor.pk)
        if task is None or assignee != task.assignee_id:
            result["assignee"] = assignee
        link = data.get("link") or ""
        if task is None or link != task_link_value(task):
            result.update({kind: None for kind in RECORD_TYPES})
            parsed = link_parse(link)
            if parsed:
                result[parsed[0]] = parsed[1]
        return result

    def add_service_errors(self, errors: dict) -> None:
        for key, message in errors.items():
            name = ERROR_FIELDS.get(key, key)
            self.add_error(name if name in self.fields else None, message)


def task_link_value(task: Task) -> str:
    """"contact:12" for a task linked to contact 12 (no query), "" if unlinked."""
    for kind in RECORD_TYPES:
        if getattr(task, f"{kind}_id"):
            return f"{kind}:{getattr(task, f'{kind}_id')}"
    return ""


def task_initial(task: Task, zone) -> dict:
    """The form's initial values for an edit, due time in the workspace's zone."""
    local = timezone.localtime(task.due_at, zone) if task.due_at else None
    return {
        "title": task.title,
        "description": task.description,
        "due_date": local.date() if local else None,
        "due_time": local.time().replace(second=0, microsecond=0) if local else None,
        "assignee": task.assignee_id,
        "priority": task.priority,
        "link": task_link_value(task),
    }
