"""Imports of contacts and companies from CSV and XLSX files: the job (file, mapping,
progress, result) and what each updated record looked like before, for undo."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.records.models import user_reference


class ImportJob(models.Model):
    class Entity(models.TextChoices):
        CONTACT = "contact", _("Contacts")
        COMPANY = "company", _("Companies")
        DEAL = "deal", _("Deals")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("All or nothing: import nothing if any row is not valid")
        SKIP_INVALID = "skip", _("Skip the rows that are not valid")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        QUEUED = "queued", _("Waiting to start")
        VALIDATING = "validating", _("Checking rows")
        WRITING = "writing", _("Saving records")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        UNDONE = "undone", _("Undone")

    entity = models.CharField(_("record type"), max_length=16, choices=Entity.choices)
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices, default=Mode.ALL_OR_NOTHING)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UPLOADED)
    file_name = models.CharField(_("file"), max_length=255)
    # Path in default_storage, under the workspace's schema name; never served directly.
    file_path = models.CharField(max_length=500)
    file_size = models.BigIntegerField(default=0)
    file_format = models.CharField(max_length=8)
    # The language of the person who uploaded it: the task writes messages in it.
    language = models.CharField(max_length=8, blank=True)
    encoding = models.CharField(_("encoding"), max_length=32, blank=True)
    delimiter = models.CharField(max_length=1, blank=True)
    headers = models.JSONField(default=list)
    # Column index (as a string) -> target key ("first_name", "emails", "custom.tier", ...).
    mapping = models.JSONField(default=dict, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    failed_count = models.PositiveIntegerField(_("not valid"), default=0)
    # Why the job failed as a whole, in the words shown to the user.
    message = models.TextField(blank=True)
    error_report_path = models.CharField(max_length=500, blank=True)
    created_by = user_reference(_("started by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # The time stamped on every record written, to tell later changes apart at undo.
    written_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = user_reference(_("undone by"))
    # Records left alone by the undo because they changed after the import: ids.
    undo_skipped = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.file_name} ({self.get_entity_display()})"

    @property
    def can_retry_skipping(self) -> bool:
        """Refused as a whole (all or nothing) because some rows were not valid, while
        others were: the same file and mapping can run again, skipping those rows."""
        return (self.status == self.Status.FAILED and self.mode == self.Mode.ALL_OR_NOTHING
                and 0 < self.failed_count < self.total_rows and bool(self.file_path))

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.VALIDATING, self.Status.WRITING)

    @property
    def percent(self) -> int:
        """Honest progress: checking rows is 90 % of the way, saving the rest."""
        if self.status in (self.Status.DONE, self.Status.UNDONE):
            return 100
        if self.status == self.Status.FAILED:
            return 100 if self.finished_at else 0
        if self.status == self.Status.WRITING:
            return 95
        if not self.total_rows:
            return 0
        return min(90, int(90 * self.processed_rows / self.total_rows))


class ImportSnapshot(models.Model):
    """A record as it was before an import updated it (its row as JSON, with its e-mail
    addresses and phone numbers for contacts)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="snapshots")
    record_id = models.BigIntegerField()
    data = models.JSONField()

    class Meta:
        ordering = ["job", "record_id"]
        constraints = [models.UniqueConstraint(fields=["job", "record_id"], name="importsnapshot_unique")]
