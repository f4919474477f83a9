"""What every CRM record shares: tags, custom fields, saved list views."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


def split_words(field_name: str):
    """`ivan@acme.example` as the words `ivan acme example`, for the search vector, so that
    a half-typed address or domain still matches (immutable, so it can be generated)."""
    from django.db.models import F, Func, Value

    return Func(F(field_name), Value("@.-_"), Value("    "), function="translate")


def user_reference(verbose_name=None, **kwargs):
    """A tenant table's reference to a (public) user.

    DO_NOTHING on purpose: the user table lives in the public schema, where Django's
    deletion collector cannot see the tenant tables that point at it. The database
    constraint stays, so a user still referenced anywhere cannot be deleted; users are
    deactivated or anonymised instead (docs/architecture.md)."""
    kwargs.setdefault("null", True)
    kwargs.setdefault("blank", True)
    kwargs.setdefault("related_name", "+")
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, verbose_name=verbose_name, **kwargs)


class Entity(models.TextChoices):
    CONTACT = "contact", _("Contacts")
    COMPANY = "company", _("Companies")
    DEAL = "deal", _("Deals")


ENTITY_MODELS = {"contact": "contacts.Contact", "company": "companies.Company", "deal": "deals.Deal"}


def entity_model(entity: str):
    """The model class of a record type."""
    from django.apps import apps

    return apps.get_model(ENTITY_MODELS[entity])


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50)
    colour = models.CharField(_("colour"), max_length=7, default="#64748b")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_ci_unique")]

    def __str__(self):
        return self.name


class CustomField(models.Model):
    class Type(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        SELECT = "select", _("Choice")
        MULTISELECT = "multiselect", _("Multiple choice")
        BOOLEAN = "boolean", _("Yes / no")
        URL = "url", _("Link")

    entity = models.CharField(_("record type"), max_length=16, choices=Entity.choices)
    key = models.SlugField(_("key"), max_length=40, help_text=_("Used in imports, exports and the API."))
    label = models.CharField(_("label"), max_length=80)
    field_type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    # For choice types: the allowed values, in order.
    options = models.JSONField(_("options"), default=list, blank=True)
    is_required = models.BooleanField(_("required"), default=False)
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["entity", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["entity", "key"], name="customfield_entity_key_unique")]

    def __str__(self):
        return self.label


class SavedView(models.Model):
    """A list's filters, sort and columns under a name, for one person or the team."""

    entity = models.CharField(max_length=16, choices=Entity.choices)
    name = models.CharField(_("name"), max_length=80)
    owner = user_reference(null=False, blank=False)
    is_shared = models.BooleanField(_("shared with the team"), default=False)
    query = models.CharField(max_length=2000, help_text="The list's query string.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["entity", "name"]
        indexes = [models.Index(fields=["entity", "owner"], name="savedview_entity_owner_idx")]

    def __str__(self):
        return self.name


class LifecycleStage(models.TextChoices):
    LEAD = "lead", _("Lead")
    QUALIFIED = "qualified", _("Qualified")
    CUSTOMER = "customer", _("Customer")


class Source(models.TextChoices):
    WEBSITE = "website", _("Website")
    REFERRAL = "referral", _("Referral")
    EVENT = "event", _("Event")
    OUTBOUND = "outbound", _("Outbound")
    PARTNER = "partner", _("Partner")
    ADVERTISING = "advertising", _("Advertising")
    IMPORT = "import", _("Import")
    OTHER = "other", _("Other")


class RecordBase(models.Model):
    """Fields every main CRM record has."""

    owner = user_reference(_("owner"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="+", verbose_name=_("tags"))
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)
    created_by = user_reference()
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The import that created the record, so that a whole import can be undone.
    import_job_id = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True
