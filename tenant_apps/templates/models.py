"""A workspace's own document and e-mail templates, every save a new version.

Until a workspace edits a template it uses the built-in default shipped in
tenant_apps/templates/defaults/ ("version 0"); the newest saved version is the active one,
and reverting saves a copy of an older version (or of the default) as the newest, so the
history only ever grows."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenant_apps.records.models import user_reference


class TemplateKind(models.TextChoices):
    DOCUMENT = "document", _("Document (PDF)")
    EMAIL = "email", _("E-mail")


class Template(models.Model):
    kind = models.CharField(_("type"), max_length=16, choices=TemplateKind.choices)
    # document: a layout (classic, modern); email: offer, invoice, credit_note, reminder.
    name = models.CharField(_("name"), max_length=32)
    # E-mails are written per language; a document layout takes its words from `labels`.
    language = models.CharField(_("language"), max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name", "language"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name", "language"], name="template_key_unique"),
            models.CheckConstraint(condition=Q(kind="email") | Q(language=""), name="template_document_no_language"),
        ]

    def __str__(self):
        return f"{self.kind}/{self.name}/{self.language or '-'}"


class TemplateVersion(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    html = models.TextField(_("HTML"))
    css = models.TextField(_("CSS"), blank=True)
    # E-mails: the plain-text part; empty means it is derived from the HTML.
    text = models.TextField(_("plain text"), blank=True)
    # The version this one copies when it was made by a revert (0 is the built-in default).
    reverted_from = models.PositiveIntegerField(null=True, blank=True)
    created_by = user_reference()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="templateversion_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="templateversion_number_positive"),
        ]

    def __str__(self):
        return f"{self.template} v{self.number}"


class DocumentExport(models.Model):
    """A zip of the PDFs of a filtered list of sales documents, built in the background.

    It lives with the templates because it is the other half of the PDF pipeline, and so
    that the sales app's own migrations stay untouched. The file expires after a day."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    # The list's filters as given (kind, status, company, date_from, date_to), for the page.
    filters = models.JSONField(default=dict, blank=True)
    # The documents chosen when the export was asked for, with the asker's visibility.
    document_ids = models.JSONField(default=list, blank=True)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    # Large exports are rendered in chunks by several workers: the ones finished.
    chunks_done = models.JSONField(default=list, blank=True)
    file_path = models.CharField(max_length=300, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    created_by = user_reference()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(processed__lte=models.F("total")), name="documentexport_progress_bounded"),
        ]

    def __str__(self):
        return f"export {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(self.processed * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
