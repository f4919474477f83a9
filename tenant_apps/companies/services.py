"""Writing companies: create, update, delete, merge duplicates."""

from django.db import transaction
from django.utils.translation import gettext as _

from shared_apps.accounts.rules import can
from tenant_apps.activities.models import Activity
from tenant_apps.activities.services import timeline_event
from tenant_apps.records.domains import domain_from_website
from tenant_apps.records.errors import RecordPermissionError, RecordValidationError
from tenant_apps.records.history import history_context
from tenant_apps.records.models import Entity
from tenant_apps.records.phones import phone_normalise
from tenant_apps.records.services import apply_fields, tags_from
from tenant_apps.records.tags import tags_for_names

from .models import Company

PLAIN_FIELDS = (
    "name", "website", "email", "industry", "size", "tax_id", "address_line1", "address_line2", "postal_code",
    "city", "region", "country", "description", "lifecycle_stage", "source",
)


def _prepare(company: Company, data: dict):
    from django.core.exceptions import ValidationError

    from tenant_apps.workspace.selectors import workspace_phone_region

    errors: dict = {}
    if "email" in data and data["email"]:
        data = {**data, "email": str(data["email"]).strip().lower()}
    apply_fields(company, data, plain_fields=PLAIN_FIELDS, entity=Entity.COMPANY, errors=errors)
    if "phone" in data:
        try:
            company.phone = phone_normalise(data["phone"] or "", workspace_phone_region())
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
    if "website" in data or "domain" in data:
        company.domain = str(data.get("domain") or "").strip().lower() or domain_from_website(company.website)
    if not (company.name or "").strip():
        errors.setdefault("name", _("Enter the company's name."))
    if errors:
        raise RecordValidationError(errors)
    return tags_from(data)


def company_create(*, actor, data: dict, door: str = "ui") -> Company:
    """A new company, owned by `actor` unless `data` names an owner. Keys: the plain
    fields, phone, domain (derived from website when absent), owner, tags, custom."""
    if not can(actor, "companies.add_company"):
        raise RecordPermissionError()
    company = Company(owner=actor, created_by=actor)
    tag_names = _prepare(company, data)
    with transaction.atomic(), history_context(actor, door):
        company.save()
        if tag_names is not None:
            company.tags.set(tags_for_names(tag_names))
        timeline_event(event="created", actor=actor, company=company, data={"door": door})
    return company


def company_update(*, company: Company, actor, data: dict, door: str = "ui") -> Company:
    if not can(actor, "companies.change_company", company):
        raise RecordPermissionError()
    tag_names = _prepare(company, data)
    with transaction.atomic(), history_context(actor, door):
        company.save()
        if tag_names is not None:
            company.tags.set(tags_for_names(tag_names))
    return company


def company_delete(*, company: Company, actor, door: str = "ui") -> None:
    """Delete a company; its contacts and deals stay, without a company."""
    if not can(actor, "companies.delete_company", company):
        raise RecordPermissionError()
    with transaction.atomic(), history_context(actor, door):
        company.delete()


MERGEABLE_FIELDS = ("name", "website", "domain", "email", "phone", "industry", "size", "tax_id", "address_line1",
                    "address_line2", "postal_code", "city", "region", "country", "description", "lifecycle_stage",
                    "source", "owner")


def company_merge(*, primary: Company, duplicates, actor, choices: dict | None = None) -> Company:
    """Fold `duplicates` into `primary` (see contact_merge): contacts, deals, tasks,
    timeline entries, offers, invoices and tickets move over; the duplicates are deleted."""
    from tenant_apps.contacts.models import Contact
    from tenant_apps.deals.models import Deal
    from tenant_apps.sales.models import Document
    from tenant_apps.tasks.models import Task
    from tenant_apps.tickets.models import Ticket

    duplicates = [d for d in duplicates if d.pk != primary.pk]
    if not duplicates:
        raise RecordValidationError({"duplicates": _("Choose at least one other company.")})
    if not can(actor, "records.merge") or not can(actor, "companies.change_company", primary):
        raise RecordPermissionError()
    for duplicate in duplicates:
        if not can(actor, "companies.change_company", duplicate):
            raise RecordPermissionError()
    choices = choices or {}
    with transaction.atomic(), history_context(actor, "merge"):
        locked = {c.pk: c for c in Company.objects.select_for_update().filter(pk__in=[primary.pk, *[d.pk for d in duplicates]])}
        primary = locked[primary.pk]
        others = [locked[d.pk] for d in duplicates if d.pk in locked]
        for field in MERGEABLE_FIELDS:
            attname = Company._meta.get_field(field).attname
            chosen = choices.get(field)
            if chosen and int(chosen) in locked:
                setattr(primary, attname, getattr(locked[int(chosen)], attname))
            elif not getattr(primary, attname):
                for other in others:
                    if getattr(other, attname):
                        setattr(primary, attname, getattr(other, attname))
                        break
        custom = {}
        for other in reversed(others):
            custom.update(other.custom or {})
        custom.update(primary.custom or {})
        primary.custom = custom
        other_ids = [o.pk for o in others]
        tag_ids = set(primary.tags.values_list("pk", flat=True))
        for other in others:
            tag_ids.update(other.tags.values_list("pk", flat=True))
        Contact.objects.filter(company_id__in=other_ids).update(company=primary)
        Deal.objects.filter(company_id__in=other_ids).update(company=primary)
        Task.objects.filter(company_id__in=other_ids).update(company=primary)
        Activity.objects.filter(company_id__in=other_ids).update(company=primary)
        # Offers, invoices and tickets would lose their company (SET NULL) with the duplicate;
        # the link moves, an issued document's customer snapshot stays as issued.
        Document.objects.filter(company_id__in=other_ids).update(company=primary)
        Ticket.objects.filter(company_id__in=other_ids).update(company=primary)
        merged_names = [str(o) for o in others]
        Company.objects.filter(pk__in=other_ids).delete()
        primary.save()
        primary.tags.set(tag_ids)
        timeline_event(event="merged", actor=actor, company=primary, data={"merged": merged_names, "ids": other_ids})
    return primary


def company_for_name(*, name: str, actor, door: str = "ui") -> Company | None:
    """The company called `name` that `actor` can see, created when there is none."""
    from tenant_apps.records.visibility import visible

    name = " ".join((name or "").split())
    if not name:
        return None
    existing = visible(Company.objects.filter(name__iexact=name), actor).order_by("pk").first()
    if existing is not None:
        return existing
    return company_create(actor=actor, data={"name": name}, door=door)
