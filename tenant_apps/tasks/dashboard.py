"""The "Your tasks" dashboard card: today's and overdue open tasks of the member."""

from django.urls import reverse
from django.utils.translation import gettext as _

from shared_apps.accounts.rules import can
from tenant_apps.workspace.dashboard import dashboard_card

from .selectors import request_zone, task_counts


@dashboard_card(order=20)
def your_tasks_card(request):
    if not can(request.user, "workspace.view"):
        return None
    counts = task_counts(user=request.user, zone=request_zone(request))
    return {
        "key": "tasks",
        "title": _("Your tasks"),
        "value": counts["today"],
        "detail": _("due today · %(n)d overdue") % {"n": counts["overdue"]},
        "url": reverse("task_list_overdue" if counts["overdue"] else "task_list_today"),
    }
