"""The company behind a workspace. Tenant schema; one row."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkspaceProfile(models.Model):
    singleton = models.BooleanField(default=True, unique=True, editable=False)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    tax_id = models.CharField(_("tax / VAT number"), max_length=40, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    address_line1 = models.CharField(_("address"), max_length=200, blank=True)
    address_line2 = models.CharField(_("address (line 2)"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="en",
        help_text=_("Used for e-mails to people who have not chosen a language, such as invitations."),
    )
    default_currency = models.CharField(_("default currency"), max_length=3, default="EUR")
    phone_region = models.CharField(
        _("country for phone numbers"), max_length=2, default="BG",
        help_text=_("Numbers written without a country code are read as this country's."),
    )
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Sofia")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(singleton=True), name="workspaceprofile_singleton")]

    def __str__(self):
        return self.legal_name or "Workspace profile"

    @property
    def address_lines(self) -> list[str]:
        city_line = " ".join(p for p in (self.postal_code, self.city) if p)
        return [line for line in (self.address_line1, self.address_line2, city_line, self.country) if line]
