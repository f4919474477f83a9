"""Support tickets: a customer's question and the conversation about it.

The ticket's number is its id: every workspace has its own schema, so ids are already a
per-workspace sequence. Messages are written by the customer (on the portal) or by staff
(in the app); a staff message may be an internal note, which customers never see and which
is never e-mailed. Attachments live in tenant-prefixed storage and go out only through
permission-checked views (never MEDIA_URL)."""

import uuid

import pghistory
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tenant_apps.records.models import user_reference


class AuthorKind(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    STAFF = "staff", _("Staff")


@pghistory.track(exclude=["updated_at", "last_message_at"])
class Ticket(models.Model):
    class Status(models.TextChoices):
        # Waiting on us: new, or the customer wrote last.
        OPEN = "open", _("Open")
        # Waiting on the customer: we answered.
        PENDING = "pending", _("Waiting on customer")
        CLOSED = "closed", _("Closed")

    class Priority(models.IntegerChoices):
        LOW = 1, _("Low")
        NORMAL = 2, _("Normal")
        HIGH = 3, _("High")
        URGENT = 4, _("Urgent")

    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    contact = models.ForeignKey("contacts.Contact", on_delete=models.CASCADE, related_name="tickets",
                                verbose_name=_("contact"))
    # The contact's company when the ticket was opened: what the customer's colleagues see.
    company = models.ForeignKey("companies.Company", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="tickets", verbose_name=_("company"))
    assignee = user_reference(_("assignee"))
    opened_by_kind = models.CharField(max_length=8, choices=AuthorKind.choices, default=AuthorKind.CUSTOMER)
    created_by = user_reference()
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            models.Index(fields=["status", "-last_message_at"], name="ticket_status_idx"),
            models.Index(fields=["assignee", "status"], name="ticket_assignee_idx"),
            models.Index(fields=["company", "-last_message_at"], name="ticket_company_idx"),
            models.Index(fields=["contact", "-last_message_at"], name="ticket_contact_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.subject}"

    @property
    def number(self) -> str:
        return f"#{self.pk}"

    def get_absolute_url(self):
        return reverse("ticket_detail", urlconf="config.urls_app", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class TicketMessage(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(max_length=8, choices=AuthorKind.choices)
    author = user_reference()
    body = models.TextField(_("message"))
    # Staff only: never shown on the portal, never e-mailed.
    internal = models.BooleanField(_("internal note"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ticket message")
        verbose_name_plural = _("ticket messages")
        indexes = [models.Index(fields=["ticket", "created_at"], name="ticketmessage_ticket_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(author_kind="customer", internal=True), name="ticketmessage_customer_not_internal"
            )
        ]

    def __str__(self):
        return f"{self.ticket_id}: {self.body[:40]}"


def attachment_upload_to(instance, filename):
    from django.db import connection

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"tenants/{connection.schema_name}/tickets/{instance.message.ticket_id}/{uuid.uuid4().hex}.{extension}"


class TicketAttachment(models.Model):
    message = models.ForeignKey(TicketMessage, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name
