"""Companies (accounts) a workspace sells to."""

import pghistory
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tenant_apps.records.models import LifecycleStage, RecordBase, Source, split_words


class CompanySize(models.TextChoices):
    S1 = "1-10", "1–10"
    S2 = "11-50", "11–50"
    S3 = "51-200", "51–200"
    S4 = "201-500", "201–500"
    S5 = "501-1000", "501–1000"
    S6 = "1001+", "1001+"


class Industry(models.TextChoices):
    SOFTWARE = "software", _("Software and IT")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    RETAIL = "retail", _("Retail and e-commerce")
    FINANCE = "finance", _("Finance and insurance")
    HEALTH = "health", _("Healthcare")
    EDUCATION = "education", _("Education")
    CONSTRUCTION = "construction", _("Construction and real estate")
    LOGISTICS = "logistics", _("Transport and logistics")
    HOSPITALITY = "hospitality", _("Hospitality and tourism")
    MEDIA = "media", _("Media and marketing")
    PROFESSIONAL = "professional", _("Professional services")
    ENERGY = "energy", _("Energy and utilities")
    AGRICULTURE = "agriculture", _("Agriculture and food")
    PUBLIC = "public", _("Public sector and non-profit")
    OTHER = "other", _("Other")


@pghistory.track(exclude=["updated_at", "search", "last_activity_at"])
class Company(RecordBase):
    name = models.CharField(_("name"), max_length=200)
    # The bare host of the website, lower-case, for duplicate detection.
    domain = models.CharField(_("domain"), max_length=253, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    industry = models.CharField(_("industry"), max_length=32, choices=Industry.choices, blank=True)
    size = models.CharField(_("size"), max_length=16, choices=CompanySize.choices, blank=True)
    tax_id = models.CharField(_("tax / VAT number"), max_length=40, blank=True)
    address_line1 = models.CharField(_("address"), max_length=200, blank=True)
    address_line2 = models.CharField(_("address (line 2)"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    lifecycle_stage = models.CharField(
        _("lifecycle stage"), max_length=16, choices=LifecycleStage.choices, default=LifecycleStage.LEAD
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    search = models.GeneratedField(
        expression=SearchVector(
            "name", "domain", split_words("domain"), "email", split_words("email"), "phone", "city", "tax_id",
            config="simple",
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        indexes = [
            models.Index(Lower("name"), "id", name="company_name_idx"),
            models.Index(fields=["domain"], name="company_domain_idx"),
            models.Index(fields=["owner", "-created_at"], name="company_owner_idx"),
            models.Index(fields=["-created_at", "-id"], name="company_created_idx"),
            GinIndex(fields=["search"], name="company_search_idx", gin_pending_list_limit=256),
            GinIndex(fields=["custom"], name="company_custom_idx", opclasses=["jsonb_path_ops"]),
        ]

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("company_detail", args=[self.pk])

    def __str__(self):
        return self.name
