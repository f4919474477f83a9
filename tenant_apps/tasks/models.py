"""To-dos with a due time, an assignee and an optional linked record."""

import pghistory
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.records.models import user_reference


@pghistory.track(exclude=["updated_at", "search", "reminder_sent_at"])
class Task(models.Model):
    class Priority(models.IntegerChoices):
        LOW = 1, _("Low")
        NORMAL = 2, _("Normal")
        HIGH = 3, _("High")
        URGENT = 4, _("Urgent")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    assignee = user_reference(_("assignee"))
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = user_reference()
    contact = models.ForeignKey("contacts.Contact", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks")
    company = models.ForeignKey("companies.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks")
    deal = models.ForeignKey("deals.Deal", null=True, blank=True, on_delete=models.CASCADE, related_name="tasks")
    # When the due-time reminder went out (it goes out once).
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = user_reference()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search = models.GeneratedField(
        expression=SearchVector("title", "description", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["status", "due_at", "-priority", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"], name="task_assignee_idx"),
            models.Index(fields=["contact"], name="task_contact_idx"),
            models.Index(fields=["company"], name="task_company_idx"),
            models.Index(fields=["deal"], name="task_deal_idx"),
            GinIndex(fields=["search"], name="task_search_idx", gin_pending_list_limit=256),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("task_detail", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    def is_overdue_at(self, now) -> bool:
        return self.status == self.Status.OPEN and self.due_at is not None and self.due_at < now
