"""People: contacts with several e-mail addresses and phone numbers."""

import pghistory
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from tenant_apps.records.models import LifecycleStage, RecordBase, Source, split_words, user_reference


class Label(models.TextChoices):
    WORK = "work", _("Work")
    HOME = "home", _("Home")
    MOBILE = "mobile", _("Mobile")
    OTHER = "other", _("Other")


@pghistory.track(exclude=["updated_at", "search", "last_activity_at"])
class Contact(RecordBase):
    # No index of its own: contact_owner_idx (owner, -created_at) leads with it and serves
    # every lookup by owner (and the check when a user row goes); one less index to write.
    owner = user_reference(_("owner"), db_index=False)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    company = models.ForeignKey(
        "companies.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts",
        verbose_name=_("company"),
    )
    # The primary address and number, kept in step with the lists below (for lists and sorting).
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    address_line1 = models.CharField(_("address"), max_length=200, blank=True)
    address_line2 = models.CharField(_("address (line 2)"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    description = models.TextField(_("about"), blank=True)
    lifecycle_stage = models.CharField(
        _("lifecycle stage"), max_length=16, choices=LifecycleStage.choices, default=LifecycleStage.LEAD
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    search = models.GeneratedField(
        expression=SearchVector(
            "first_name", "last_name", "email", split_words("email"), "phone", "job_title", "city", config="simple"
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(Lower("last_name"), Lower("first_name"), "id", name="contact_name_idx"),
            models.Index(Lower("email"), name="contact_email_idx"),
            models.Index(fields=["owner", "-created_at"], name="contact_owner_idx"),
            models.Index(fields=["-created_at", "-id"], name="contact_created_idx"),
            models.Index(fields=["lifecycle_stage", "-created_at"], name="contact_stage_idx"),
            models.Index(fields=["import_job_id"], name="contact_import_idx"),
            GinIndex(fields=["search"], name="contact_search_idx", gin_pending_list_limit=256),
            GinIndex(fields=["custom"], name="contact_custom_idx", opclasses=["jsonb_path_ops"]),
        ]

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("contact_detail", args=[self.pk])

    def __str__(self):
        return self.full_name or self.email or f"#{self.pk}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


# A contact's page reads its e-mail and phone events by contact (records/history_selectors).
@pghistory.track(meta={"indexes": [models.Index(fields=["contact"], name="contactemailevent_contact_idx")]})
class ContactEmail(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="emails")
    email = models.EmailField(_("e-mail"))
    label = models.CharField(_("label"), max_length=16, choices=Label.choices, default=Label.WORK)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("email"), "contact", name="contactemail_unique"),
            models.UniqueConstraint(
                fields=["contact"], condition=models.Q(is_primary=True), name="contactemail_one_primary"
            ),
        ]
        # No index on lower(email) of its own: contactemail_unique leads with it and serves
        # every lookup by address.

    def __str__(self):
        return self.email


@pghistory.track(meta={"indexes": [models.Index(fields=["contact"], name="contactphoneevent_contact_idx")]})
class ContactPhone(models.Model):
    # Not indexed alone: contactphone_unique (contact, number) leads with it.
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones", db_index=False)
    # E.164, e.g. +359888123456.
    number = models.CharField(_("phone"), max_length=32)
    label = models.CharField(_("label"), max_length=16, choices=Label.choices, default=Label.MOBILE)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "number"], name="contactphone_unique"),
            models.UniqueConstraint(
                fields=["contact"], condition=models.Q(is_primary=True), name="contactphone_one_primary"
            ),
        ]
        indexes = [models.Index(fields=["number"], name="contactphone_number_idx")]

    def __str__(self):
        return self.number
