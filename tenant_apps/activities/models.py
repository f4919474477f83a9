"""The activity timeline: notes, calls, meetings, e-mails and system events."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.records.models import user_reference


class ActivityKind(models.TextChoices):
    NOTE = "note", _("Note")
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("E-mail")
    SYSTEM = "system", _("System event")


class Activity(models.Model):
    class Direction(models.TextChoices):
        INBOUND = "in", _("Inbound")
        OUTBOUND = "out", _("Outbound")

    class Outcome(models.TextChoices):
        CONNECTED = "connected", _("Connected")
        NO_ANSWER = "no_answer", _("No answer")
        VOICEMAIL = "voicemail", _("Left voicemail")
        BUSY = "busy", _("Busy")
        WRONG_NUMBER = "wrong_number", _("Wrong number")

    kind = models.CharField(_("type"), max_length=16, choices=ActivityKind.choices)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    # Markdown as written, and its sanitised HTML.
    body = models.TextField(_("text"), blank=True)
    body_html = models.TextField(blank=True, editable=False)
    occurred_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    # System events: what happened (created, stage_changed, won, lost, merged, ...) and its data.
    event = models.CharField(max_length=32, blank=True)
    data = models.JSONField(default=dict, blank=True)
    author = user_reference()
    contact = models.ForeignKey("contacts.Contact", null=True, blank=True, on_delete=models.CASCADE, related_name="activities")
    company = models.ForeignKey("companies.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="activities")
    deal = models.ForeignKey("deals.Deal", null=True, blank=True, on_delete=models.CASCADE, related_name="activities")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search = models.GeneratedField(
        expression=SearchVector("subject", "body", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["contact", "-occurred_at", "-id"], name="activity_contact_idx"),
            models.Index(fields=["company", "-occurred_at", "-id"], name="activity_company_idx"),
            models.Index(fields=["deal", "-occurred_at", "-id"], name="activity_deal_idx"),
            GinIndex(fields=["search"], name="activity_search_idx", gin_pending_list_limit=256, condition=models.Q(kind="note")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contact__isnull=False) | models.Q(company__isnull=False) | models.Q(deal__isnull=False),
                name="activity_linked_to_a_record",
            )
        ]

    def __str__(self):
        return self.subject or self.get_kind_display()
