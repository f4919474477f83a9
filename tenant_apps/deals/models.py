"""Deals moving through the ordered stages of a pipeline."""

import pghistory
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.records.models import RecordBase, user_reference


class Pipeline(models.Model):
    name = models.CharField(_("name"), max_length=100)
    is_default = models.BooleanField(_("default"), default=False)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True), name="pipeline_one_default")
        ]

    def __str__(self):
        return self.name


class Stage(models.Model):
    class Kind(models.TextChoices):
        OPEN = "open", _("Open")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveIntegerField(default=0)
    probability = models.PositiveSmallIntegerField(
        _("win probability (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pipeline", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(probability__lte=100), name="stage_probability_max"),
            models.UniqueConstraint(
                fields=["pipeline", "kind"], condition=~models.Q(kind="open"), name="stage_one_won_one_lost"
            ),
        ]

    def __str__(self):
        return self.name


class DealStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


@pghistory.track(exclude=["updated_at", "search", "last_activity_at", "position"])
class Deal(RecordBase):
    title = models.CharField(_("title"), max_length=200)
    pipeline = models.ForeignKey(Pipeline, on_delete=models.PROTECT, related_name="deals", verbose_name=_("pipeline"))
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="deals", verbose_name=_("stage"))
    # Order within the stage's column on the board (smaller first).
    position = models.FloatField(default=0)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    expected_close_date = models.DateField(_("expected close date"), null=True, blank=True)
    company = models.ForeignKey(
        "companies.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="deals",
        verbose_name=_("company"),
    )
    contacts = models.ManyToManyField("contacts.Contact", blank=True, related_name="deals", verbose_name=_("contacts"))
    status = models.CharField(_("status"), max_length=8, choices=DealStatus.choices, default=DealStatus.OPEN)
    lost_reason = models.CharField(_("reason lost"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    stage_entered_at = models.DateTimeField(null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    search = models.GeneratedField(
        expression=SearchVector("title", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        indexes = [
            models.Index(fields=["stage", "position", "id"], name="deal_board_idx", condition=models.Q(status="open")),
            models.Index(fields=["pipeline", "status"], name="deal_pipeline_status_idx"),
            models.Index(fields=["company"], name="deal_company_idx"),
            models.Index(fields=["owner", "-created_at"], name="deal_owner_idx"),
            models.Index(fields=["-created_at", "-id"], name="deal_created_idx"),
            models.Index(fields=["expected_close_date"], name="deal_close_date_idx"),
            GinIndex(fields=["search"], name="deal_search_idx", gin_pending_list_limit=256),
            GinIndex(fields=["custom"], name="deal_custom_idx", opclasses=["jsonb_path_ops"]),
        ]

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("deal_detail", args=[self.pk])

    def __str__(self):
        return self.title


class DealStageChange(models.Model):
    """One move of a deal between stages, with how long it had stayed in the previous one."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to_stage = models.ForeignKey(Stage, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = user_reference()
    seconds_in_previous = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        indexes = [models.Index(fields=["deal", "changed_at"], name="dealstagechange_deal_idx")]

    def __str__(self):
        return f"{self.deal_id}: {self.from_stage_id} → {self.to_stage_id}"
