"""Reading contacts: one with everything on its page, duplicates, a GDPR export."""

from django.db.models import Count, Q
from django.db.models.functions import Lower

from tenant_apps.records.errors import RecordNotFound
from tenant_apps.records.visibility import visible

from .models import Contact, ContactEmail, ContactPhone


def contact_get(*, user, pk) -> Contact:
    """The contact with its company, owner, e-mails, phones and tags; RecordNotFound if it
    does not exist or `user` may not see it."""
    contact = (
        visible(Contact.objects.all(), user)
        .select_related("company", "owner", "created_by")
        .prefetch_related("emails", "phones", "tags")
        .filter(pk=pk)
        .first()
    )
    if contact is None:
        raise RecordNotFound()
    return contact


def contact_duplicates(*, contact: Contact, user) -> list[Contact]:
    """Other contacts (that `user` sees) sharing an e-mail address or phone number."""
    emails = [e.lower() for e in contact.emails.values_list("email", flat=True)]
    phones = list(contact.phones.values_list("number", flat=True))
    if not emails and not phones:
        return []
    condition = Q()
    if emails:
        condition |= Q(pk__in=ContactEmail.objects.annotate(e=Lower("email")).filter(e__in=emails).values("contact"))
    if phones:
        condition |= Q(pk__in=ContactPhone.objects.filter(number__in=phones).values("contact"))
    return list(visible(Contact.objects.filter(condition).exclude(pk=contact.pk), user).select_related("company")[:20])


def contact_duplicate_groups(*, user, limit: int = 50) -> list[tuple[str, list[Contact]]]:
    """(shared e-mail address, contacts) groups of contacts sharing an address that
    `user` can see, largest first. Three queries, whatever the number of groups."""
    shared = list(
        ContactEmail.objects.annotate(e=Lower("email")).values("e").annotate(n=Count("contact", distinct=True))
        .filter(n__gt=1).order_by("-n", "e").values_list("e", flat=True)[:limit]
    )
    pairs = list(
        ContactEmail.objects.annotate(e=Lower("email")).filter(e__in=shared).values_list("e", "contact_id").distinct()
    )
    contacts = visible(Contact.objects.filter(pk__in={pk for _e, pk in pairs}), user).select_related("company", "owner")
    by_id = {c.pk: c for c in contacts}
    groups = []
    for address in shared:
        members = sorted({by_id[pk] for e, pk in pairs if e == address and pk in by_id}, key=lambda c: c.pk)
        if len(members) > 1:
            groups.append((address, members))
    return groups


def contact_data_export(*, contact: Contact) -> dict:
    """Everything the workspace keeps about a person (GDPR access request)."""
    from tenant_apps.activities.models import Activity
    from tenant_apps.records.custom_fields import custom_fields_for
    from tenant_apps.records.history_selectors import record_history
    from tenant_apps.tasks.models import Task

    labels = {f.key: f.label for f in custom_fields_for("contact", active_only=False)}
    return {
        "contact": {
            "id": contact.pk,
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "job_title": contact.job_title,
            "company": contact.company.name if contact.company else None,
            "emails": [{"email": e.email, "label": e.label, "primary": e.is_primary} for e in contact.emails.all()],
            "phones": [{"number": p.number, "label": p.label, "primary": p.is_primary} for p in contact.phones.all()],
            "website": contact.website,
            "address": {
                "line1": contact.address_line1, "line2": contact.address_line2, "postal_code": contact.postal_code,
                "city": contact.city, "region": contact.region, "country": contact.country,
            },
            "about": contact.description,
            "lifecycle_stage": contact.lifecycle_stage,
            "source": contact.source,
            "owner": contact.owner.email if contact.owner else None,
            "tags": [t.name for t in contact.tags.all()],
            "custom_fields": {labels.get(k, k): v for k, v in (contact.custom or {}).items()},
            "created_at": contact.created_at.isoformat(),
            "updated_at": contact.updated_at.isoformat(),
        },
        "deals": [
            {"title": d.title, "amount": str(d.amount) if d.amount is not None else None, "currency": d.currency,
             "stage": d.stage.name, "status": d.status}
            for d in contact.deals.select_related("stage")
        ],
        "activities": [
            {"type": a.kind, "event": a.event, "subject": a.subject, "text": a.body,
             "when": a.occurred_at.isoformat(), "data": a.data}
            for a in Activity.objects.filter(contact=contact).order_by("occurred_at")
        ],
        "tasks": [
            {"title": t.title, "description": t.description, "due": t.due_at.isoformat() if t.due_at else None,
             "status": t.status}
            for t in Task.objects.filter(contact=contact).order_by("created_at")
        ],
        "history": record_history(record=contact),
    }
