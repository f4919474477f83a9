"""Writing contacts: create, update, delete, merge duplicates, erase (GDPR)."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from billing.entitlements import entitlement_check
from shared_apps.accounts.rules import can
from shared_apps.audit.models import EventKind
from shared_apps.audit.services import security_event_record
from tenant_apps.activities.models import Activity
from tenant_apps.activities.services import timeline_event
from tenant_apps.companies.models import Company
from tenant_apps.records.errors import RecordPermissionError, RecordValidationError
from tenant_apps.records.history import history_context
from tenant_apps.records.models import Entity
from tenant_apps.records.phones import phone_normalise
from tenant_apps.records.services import apply_fields, tags_from
from tenant_apps.records.tags import tags_for_names

from .models import Contact, ContactEmail, ContactPhone, Label

PLAIN_FIELDS = (
    "first_name", "last_name", "job_title", "website", "address_line1", "address_line2", "postal_code",
    "city", "region", "country", "description", "lifecycle_stage", "source",
)
MAX_EMAILS = MAX_PHONES = 10
# Label.values builds a new list on every access; imports clean 100k rows with these.
LABELS = frozenset(Label.values)
# Plain ASCII addresses ("ivan.petrov@example.bg") that Django's validate_email accepts:
# its own dot-atom, host, domain and TLD patterns without the Unicode ranges, so every
# match passes it too. Anything else goes through validate_email (a lazy object and two
# Unicode-wide patterns: ~10x slower, which counts on a 100k-row import).
_PLAIN_EMAIL = re.compile(
    r"[-!#$%&'*+/=?^_`{}|~0-9a-z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9a-z]+)*"
    r"@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.(?!-)[a-z-]{2,63}(?<!-)",
    re.ASCII | re.IGNORECASE,
)


def email_check(email: str) -> None:
    """validate_email, with a fast path for plain ASCII addresses."""
    if len(email) <= 320 and _PLAIN_EMAIL.fullmatch(email):
        return
    validate_email(email)

# Sent after a contact's personal data has been erased, so that other apps (imports,
# campaigns) can scrub what they keep about it. kwargs: contact_id.
contact_erased = Signal()


def _items(raw, key):
    """A list of {key, label, is_primary} from strings or dicts."""
    if raw is None:
        return []
    if isinstance(raw, str):
        raw = [part for part in raw.replace(";", ",").split(",")]
    items = []
    for item in raw:
        if isinstance(item, dict):
            items.append({key: str(item.get(key) or "").strip(), "label": item.get("label") or "", "is_primary": bool(item.get("is_primary"))})
        else:
            items.append({key: str(item or "").strip(), "label": "", "is_primary": False})
    return [item for item in items if item[key]]


def _primary_first(items):
    if items and not any(i["is_primary"] for i in items):
        items[0]["is_primary"] = True
    seen_primary = False
    for item in items:
        if item["is_primary"] and seen_primary:
            item["is_primary"] = False
        seen_primary = seen_primary or item["is_primary"]
    return sorted(items, key=lambda i: not i["is_primary"])


def emails_clean(raw, errors: dict) -> list[dict]:
    if isinstance(raw, str) and "," not in raw and ";" not in raw:
        # One address (an import's usual cell): what the general path below gives for it.
        text = raw.strip()
        if not text:
            return []
        try:
            email_check(text.lower())
        except ValidationError:
            errors["emails"] = _("“%(value)s” is not an e-mail address.") % {"value": text}
            return []
        return [{"email": text.lower(), "label": Label.WORK, "is_primary": True}]
    items, seen = [], set()
    for item in _items(raw, "email"):
        email = item["email"].lower()
        try:
            email_check(email)
        except ValidationError:
            errors["emails"] = _("“%(value)s” is not an e-mail address.") % {"value": item["email"]}
            continue
        if email in seen:
            continue
        seen.add(email)
        label = item["label"] if item["label"] in LABELS else Label.WORK
        items.append({"email": email, "label": label, "is_primary": item["is_primary"]})
    if len(items) > MAX_EMAILS:
        errors["emails"] = _("At most %(n)d e-mail addresses.") % {"n": MAX_EMAILS}
    return _primary_first(items)


def phones_clean(raw, errors: dict, region: str, *, normalise=None) -> list[dict]:
    """`normalise(raw)`, when given, is phone_normalise for `region` (imports pass a
    cached one: records.phones.phone_normaliser)."""
    if isinstance(raw, str) and "," not in raw and ";" not in raw:
        # One number (an import's usual cell): what the general path below gives for it.
        text = raw.strip()
        if not text:
            return []
        try:
            number = normalise(text) if normalise is not None else phone_normalise(text, region)
        except ValidationError as exc:
            errors["phones"] = exc.messages[0]
            return []
        return [{"number": number, "label": Label.MOBILE, "is_primary": True}]
    items, seen = [], set()
    for item in _items(raw, "number"):
        try:
            number = normalise(item["number"]) if normalise is not None else phone_normalise(item["number"], region)
        except ValidationError as exc:
            errors["phones"] = exc.messages[0]
            continue
        if number in seen:
            continue
        seen.add(number)
        label = item["label"] if item["label"] in LABELS else Label.MOBILE
        items.append({"number": number, "label": label, "is_primary": item["is_primary"]})
    if len(items) > MAX_PHONES:
        errors["phones"] = _("At most %(n)d phone numbers.") % {"n": MAX_PHONES}
    return _primary_first(items)


def _company(value, actor, errors):
    if value in (None, ""):
        return None
    if isinstance(value, Company):
        company = value
    else:
        try:
            company = Company.objects.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            company = None
    if company is None or not can(actor, "companies.view_company", company):
        errors["company"] = _("Choose a company you can see.")
        return None
    return company


def _prepare(contact: Contact, data: dict, actor) -> tuple[dict, list | None, list | None, list | None]:
    from tenant_apps.workspace.selectors import workspace_phone_region

    errors: dict = {}
    apply_fields(contact, data, plain_fields=PLAIN_FIELDS, entity=Entity.CONTACT, errors=errors)
    if "company" in data:
        contact.company = _company(data["company"], actor, errors)
    emails = emails_clean(data["emails"], errors) if "emails" in data else None
    phones = phones_clean(data["phones"], errors, workspace_phone_region()) if "phones" in data else None
    if emails is not None:
        contact.email = emails[0]["email"] if emails else ""
    if phones is not None:
        contact.phone = phones[0]["number"] if phones else ""
    if not (contact.first_name or contact.last_name or contact.email):
        errors.setdefault("first_name", _("Enter a name or an e-mail address."))
    if errors:
        raise RecordValidationError(errors)
    return errors, emails, phones, tags_from(data)


def _save_lists(contact: Contact, emails, phones, tag_names) -> None:
    if emails is not None:
        ContactEmail.objects.filter(contact=contact).delete()
        ContactEmail.objects.bulk_create([ContactEmail(contact=contact, **item) for item in emails])
    if phones is not None:
        ContactPhone.objects.filter(contact=contact).delete()
        ContactPhone.objects.bulk_create([ContactPhone(contact=contact, **item) for item in phones])
    if tag_names is not None:
        contact.tags.set(tags_for_names(tag_names))


def contact_create(*, actor, data: dict, door: str = "ui") -> Contact:
    """A new contact, owned by `actor` unless `data` names an owner.

    `data` keys: the plain fields, company (Company or id), owner (User or id), emails and
    phones (strings or {email|number, label, is_primary}), tags (names), custom (key ->
    value). Raises RecordValidationError with field -> message, and
    billing.errors.PlanLimitReached when the plan has no room for another contact."""
    if not can(actor, "contacts.add_contact"):
        raise RecordPermissionError()
    contact = Contact(owner=actor, created_by=actor)
    _errors, emails, phones, tag_names = _prepare(contact, data, actor)
    with transaction.atomic(), history_context(actor, door):
        # Under the plan's lock until this transaction commits: the count stays true.
        entitlement_check(connection.tenant, "contacts", 1)
        contact.save()
        _save_lists(contact, emails, phones, tag_names)
        timeline_event(event="created", actor=actor, contact=contact, data={"door": door})
    return contact


def contact_update(*, contact: Contact, actor, data: dict, door: str = "ui") -> Contact:
    """Change the keys present in `data` (same keys as contact_create)."""
    if not can(actor, "contacts.change_contact", contact):
        raise RecordPermissionError()
    _errors, emails, phones, tag_names = _prepare(contact, data, actor)
    with transaction.atomic(), history_context(actor, door):
        contact.save()
        _save_lists(contact, emails, phones, tag_names)
    return contact


# What a person may change about themselves (the customer portal's profile page). Not the
# e-mail: it is how they sign in, and changing it would need a new verification.
OWN_DETAILS_FIELDS = ("first_name", "last_name", "address_line1", "address_line2", "postal_code", "city", "region",
                      "country")


def contact_update_own_details(*, contact: Contact, actor, data: dict, door: str = "portal") -> Contact:
    """The person behind `contact` changes their own name, phone and address; nothing else of
    the record can change this way. The caller (portal.customer_services) has established that `actor`
    is that person. History records the actor and the door; an unchanged form writes nothing."""
    data = {key: value for key, value in data.items() if key in OWN_DETAILS_FIELDS or key == "phone"}
    phone = " ".join(str(data.pop("phone", contact.phone) or "").split())
    with transaction.atomic(), history_context(actor, door):
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        before = {name: getattr(contact, name) for name in OWN_DETAILS_FIELDS}
        if phone != contact.phone:
            others = [{"number": p.number, "label": p.label, "is_primary": False}
                      for p in contact.phones.all() if not p.is_primary]
            primary = next((p for p in contact.phones.all() if p.is_primary), None)
            mine = [{"number": phone, "label": primary.label if primary else Label.MOBILE, "is_primary": True}] if phone else []
            data["phones"] = mine + others
        _errors, _emails, phones, _tags = _prepare(contact, data, actor)
        if phones is None and all(getattr(contact, name) == value for name, value in before.items()):
            return contact
        contact.save()
        _save_lists(contact, None, phones, None)
    return contact


def contact_delete(*, contact: Contact, actor, door: str = "ui") -> None:
    if not can(actor, "contacts.delete_contact", contact):
        raise RecordPermissionError()
    with transaction.atomic(), history_context(actor, door):
        contact.delete()


MERGEABLE_FIELDS = ("first_name", "last_name", "job_title", "company", "website", "address_line1", "address_line2",
                    "postal_code", "city", "region", "country", "description", "lifecycle_stage", "source", "owner")


def contact_merge(*, primary: Contact, duplicates, actor, choices: dict | None = None) -> Contact:
    """Fold `duplicates` into `primary`: for each field the value chosen in `choices`
    (field -> id of the contact whose value wins), else the primary's, else the first
    non-empty; all e-mails, phones, tags, custom values, deals, tasks and timeline
    entries move over, and so do offers and invoices and a customer's portal access; the
    duplicates are deleted. Only one portal user can stay with a contact: when more than
    one of the contacts has live (invited or active) portal access, nothing is merged."""
    from portal.services import portal_accesses_merge
    from tenant_apps.sales.models import Document
    from tenant_apps.tasks.models import Task
    from tenant_apps.tickets.services import tickets_relink

    duplicates = [d for d in duplicates if d.pk != primary.pk]
    if not duplicates:
        raise RecordValidationError({"duplicates": _("Choose at least one other contact.")})
    if not can(actor, "records.merge") or not can(actor, "contacts.change_contact", primary):
        raise RecordPermissionError()
    for duplicate in duplicates:
        if not can(actor, "contacts.change_contact", duplicate):
            raise RecordPermissionError()
    everyone = {c.pk: c for c in [primary, *duplicates]}
    choices = choices or {}
    with transaction.atomic(), history_context(actor, "merge"):
        locked = {c.pk: c for c in Contact.objects.select_for_update().filter(pk__in=everyone)}
        primary = locked[primary.pk]
        others = [locked[d.pk] for d in duplicates if d.pk in locked]
        for field in MERGEABLE_FIELDS:
            attname = Contact._meta.get_field(field).attname
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
        emails = [{"email": e.email, "label": e.label, "is_primary": c.pk == primary.pk and e.is_primary}
                  for c in [primary, *others] for e in c.emails.all()]
        phones = [{"number": p.number, "label": p.label, "is_primary": c.pk == primary.pk and p.is_primary}
                  for c in [primary, *others] for p in c.phones.all()]
        errors = {}
        emails, phones = emails_clean(emails, errors), phones_clean(phones, errors, region="")
        primary.email = emails[0]["email"] if emails else ""
        primary.phone = phones[0]["number"] if phones else ""
        tag_ids = set(primary.tags.values_list("pk", flat=True))
        for other in others:
            tag_ids.update(other.tags.values_list("pk", flat=True))
            for deal in other.deals.all():
                deal.contacts.add(primary)
        other_ids = [o.pk for o in others]
        portal_accesses_merge(primary=primary, other_ids=other_ids)
        Activity.objects.filter(contact_id__in=other_ids).update(contact=primary)
        Task.objects.filter(contact_id__in=other_ids).update(contact=primary)
        # The link only: an issued document's customer snapshot stays as it was issued.
        Document.objects.filter(contact_id__in=other_ids).update(contact=primary)
        tickets_relink(from_contact_ids=other_ids, to_contact=primary)
        merged_names = [str(o) for o in others]
        Contact.objects.filter(pk__in=other_ids).delete()
        primary.save()
        _save_lists(primary, emails, phones, None)
        primary.tags.set(tag_ids)
        timeline_event(event="merged", actor=actor, contact=primary, data={"merged": merged_names, "ids": other_ids})
    return primary


def contact_erase(*, contact: Contact, actor, request=None) -> None:
    """GDPR erasure: the contact, its e-mails and phones, its history, and its personal
    data in timeline entries and tasks go. Entries that also belong to a deal or company
    stay as empty markers (type and date) so those timelines keep their shape."""
    from django.apps import apps

    from tenant_apps.tasks.models import Task

    if not can(actor, "records.erase") or not can(actor, "contacts.view_contact", contact):
        raise RecordPermissionError()
    contact_id = contact.pk
    with transaction.atomic():
        shared = Activity.objects.filter(contact=contact).exclude(deal__isnull=True, company__isnull=True)
        shared.update(contact=None, subject="", body="", body_html="", data={"erased": True})
        Activity.objects.filter(contact=contact).delete()
        Task.objects.filter(contact=contact, deal__isnull=True, company__isnull=True).delete()
        Task.objects.filter(contact=contact).update(contact=None)
        email_ids = list(contact.emails.values_list("pk", flat=True))
        phone_ids = list(contact.phones.values_list("pk", flat=True))
        contact.deals.clear()
        contact.delete()
        for model, ids in (("contacts.ContactEvent", [contact_id]), ("contacts.ContactEmailEvent", email_ids),
                           ("contacts.ContactPhoneEvent", phone_ids)):
            apps.get_model(model).objects.filter(pgh_obj_id__in=ids).delete()
        contact_erased.send(sender=Contact, contact_id=contact_id)
        security_event_record(
            kind=EventKind.DATA_ERASED, request=request, actor=actor, tenant=connection.tenant, contact_id=contact_id
        )


def contact_data_export_record(*, contact: Contact, actor, request=None) -> None:
    """Log that everything about a contact was exported (the export is a selector)."""
    if not can(actor, "records.export") and not can(actor, "contacts.change_contact", contact):
        raise RecordPermissionError()
    security_event_record(
        kind=EventKind.DATA_EXPORTED, request=request, actor=actor, tenant=connection.tenant,
        what="contact", contact_id=contact.pk,
    )
