from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.records.models import user_reference


class AssistantSettings(models.Model):
    """A workspace's own OpenAI-compatible endpoint (Enterprise plans). One row at most.
    The key is write-only: forms and the API never show it back, only whether one is set.
    It is stored encrypted (config.sealing); `api_key` reads and writes it in clear."""

    singleton = models.BooleanField(default=True, editable=False, unique=True)
    base_url = models.URLField(_("base URL"), max_length=300, blank=True)
    model = models.CharField(_("model"), max_length=200, blank=True)
    # Sealed (config.sealing); the column kept its name from when it held the key in clear.
    api_key_sealed = models.TextField(blank=True, editable=False, db_column="api_key")
    updated_by = user_reference()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(singleton=True), name="assistant_settings_one_row")]

    def __str__(self):
        return "assistant settings"

    @property
    def api_key(self) -> str:
        """The key in clear; "" when none is set or it cannot be opened any more (the
        sealing keys changed: logged, and the workspace's model is off until the key is
        entered again)."""
        from config.sealing import SealBroken, unseal

        try:
            return unseal(self.api_key_sealed)
        except SealBroken:
            import logging

            logging.getLogger(__name__).error("The stored AI key of this workspace cannot be opened; enter it again")
            return ""

    @api_key.setter
    def api_key(self, value: str) -> None:
        from config.sealing import seal

        self.api_key_sealed = seal(value or "")

    @property
    def in_use(self) -> bool:
        return bool(self.api_key and self.model)


class DealAnalysis(models.Model):
    """The model's reading of a deal at one moment, validated against
    tenant_apps.assistant.analysis.SCHEMA. Kept, not overwritten: the newest is shown."""

    deal = models.ForeignKey("deals.Deal", on_delete=models.CASCADE, related_name="analyses")
    health_score = models.PositiveSmallIntegerField()
    win_probability = models.PositiveSmallIntegerField()
    win_probability_reasons = models.JSONField(default=list)
    risks = models.JSONField(default=list)
    next_actions = models.JSONField(default=list)
    summary = models.TextField(blank=True)
    model = models.CharField(max_length=200)
    tokens = models.PositiveIntegerField(default=0)
    credits = models.PositiveIntegerField(default=0)
    created_by = user_reference()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["deal", "-created_at"], name="dealanalysis_deal_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(health_score__lte=100), name="dealanalysis_health_max"),
            models.CheckConstraint(condition=models.Q(win_probability__lte=100), name="dealanalysis_win_max"),
        ]

    def __str__(self):
        return f"analysis of deal {self.deal_id} at {self.created_at:%Y-%m-%d %H:%M}"
