"""Who changed what and when: a record's history from django-pghistory events."""

from django.apps import apps
from django.contrib.auth import get_user_model

# Fields not worth showing as changes.
HIDDEN = {"pgh_id", "pgh_created_at", "pgh_label", "pgh_obj", "pgh_obj_id", "pgh_context", "pgh_context_id",
          "id", "created_at", "updated_at", "created_by", "search", "import_job_id", "position"}

# Child records whose events belong on the parent's history: model -> (event model, fk).
CHILDREN = {
    "contacts.Contact": [("contacts.ContactEmailEvent", "contact"), ("contacts.ContactPhoneEvent", "contact")],
}


def _event_model(record):
    label = f"{record._meta.app_label}.{record._meta.object_name}Event"
    return apps.get_model(label)


def _label(model, field_name):
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except Exception:  # a field the model no longer has
        return field_name


def record_history(*, record, limit: int = 200) -> list[dict]:
    """Newest first: [{"when", "user", "door", "label", "changes": [{"field", "label", "old", "new"}]}].
    Changes are computed between consecutive snapshots of the same record."""
    model = type(record)
    events = list(_event_model(record).objects.filter(pgh_obj_id=record.pk).order_by("pgh_id").select_related("pgh_context"))
    entries = []
    previous = None
    for event in events:
        data = {f.attname: getattr(event, f.attname) for f in event._meta.concrete_fields}
        changes = []
        for key, value in data.items():
            field_name = key[:-3] if key.endswith("_id") and key != "pgh_obj_id" else key
            if field_name in HIDDEN or key in HIDDEN:
                continue
            old = previous.get(key) if previous else None
            if previous is None and value in (None, "", {}, []):
                continue
            if previous is not None and old == value:
                continue
            changes.append({"field": field_name, "label": _label(model, field_name), "old": old, "new": value})
        previous = data
        context = (event.pgh_context.metadata if event.pgh_context_id and event.pgh_context else {}) or {}
        if changes or event.pgh_label == "insert":
            entries.append(
                {"when": event.pgh_created_at, "user_id": context.get("user"), "door": context.get("door", ""),
                 "label": event.pgh_label, "changes": changes, "model": model._meta.verbose_name}
            )
    for child_label, fk in CHILDREN.get(f"{record._meta.app_label}.{record._meta.object_name}", []):
        child_model = apps.get_model(child_label)
        for event in child_model.objects.filter(**{f"{fk}_id": record.pk}).order_by("pgh_id").select_related("pgh_context"):
            context = (event.pgh_context.metadata if event.pgh_context_id and event.pgh_context else {}) or {}
            value = getattr(event, "email", None) or getattr(event, "number", "")
            entries.append(
                {"when": event.pgh_created_at, "user_id": context.get("user"), "door": context.get("door", ""),
                 "label": event.pgh_label, "model": child_model._meta.verbose_name,
                 "changes": [{"field": "value", "label": str(child_model._meta.verbose_name), "old": None, "new": value}]}
            )
    entries.sort(key=lambda e: e["when"], reverse=True)
    users = get_user_model().objects.in_bulk({e["user_id"] for e in entries if e["user_id"]})
    for entry in entries:
        entry["user"] = users.get(entry["user_id"])
    return entries[:limit]
