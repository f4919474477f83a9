"""Dashboard cards about the pipeline and the contact base."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.accounts.rules import can
from tenant_apps.records.templatetags.records import money
from tenant_apps.workspace.dashboard import dashboard_card

from .selectors import pipeline_summary
from .services import pipeline_default


@dashboard_card(order=10)
def open_pipeline_card(request):
    if not can(request.user, "workspace.view"):
        return None
    pipeline = pipeline_default()
    if pipeline is None:
        return None
    summary = pipeline_summary(user=request.user, pipeline=pipeline)
    from tenant_apps.workspace.selectors import workspace_profile

    currency = workspace_profile().default_currency
    return {
        "key": "pipeline",
        "title": _("Open deals"),
        "value": summary["open_count"] or 0,
        "detail": _("%(value)s open · %(won)s won this month") % {
            "value": money(summary["open_value"] or 0, currency), "won": money(summary["won_month"] or 0, currency)},
        "url": reverse("deal_board"),
    }


@dashboard_card(order=20)
def contacts_card(request):
    from tenant_apps.contacts.models import Contact
    from tenant_apps.records.visibility import visible

    week = timezone.now() - timezone.timedelta(days=7)
    contacts = visible(Contact.objects.all(), request.user)
    return {
        "key": "contacts",
        "title": _("Contacts"),
        "value": contacts.count(),
        "detail": _("%(n)d new this week") % {"n": contacts.filter(created_at__gte=week).count()},
        "url": reverse("contact_list"),
    }
