"""Reading a record's timeline."""

from tenant_apps.records.visibility import visible_activities

from .models import Activity

TIMELINE_PAGE = 50


def timeline_for(*, user, contact=None, company=None, deal=None, kinds=None, before_id=None, limit=TIMELINE_PAGE):
    """Newest first, `limit` at a time (pass the last id seen as `before_id` for more)."""
    qs = Activity.objects.select_related("author")
    if contact is not None:
        qs = qs.filter(contact=contact)
    elif company is not None:
        qs = qs.filter(company=company)
    elif deal is not None:
        qs = qs.filter(deal=deal)
    else:
        return Activity.objects.none()
    if kinds:
        qs = qs.filter(kind__in=kinds)
    if before_id:
        pivot = Activity.objects.filter(pk=before_id).values_list("occurred_at", flat=True).first()
        if pivot is not None:
            from django.db.models import Q

            qs = qs.filter(Q(occurred_at__lt=pivot) | Q(occurred_at=pivot, pk__lt=before_id))
    return visible_activities(qs, user).order_by("-occurred_at", "-pk")[:limit]
