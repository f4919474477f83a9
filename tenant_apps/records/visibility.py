"""Applying record visibility to querysets (the object-level rules' list counterpart)."""

from django.db.models import Q, QuerySet

from .rules import sees_only_own


def visible(queryset: QuerySet, user) -> QuerySet:
    """Only the records `user` may see: with "sales reps see only their own records" on,
    a sales rep sees what they own."""
    if sees_only_own(user):
        return queryset.filter(owner=user)
    return queryset


def visible_activities(queryset: QuerySet, user) -> QuerySet:
    """Timeline entries hang off records; a restricted rep sees those of their records
    and the ones they wrote."""
    if sees_only_own(user):
        return queryset.filter(
            Q(author=user) | Q(contact__owner=user) | Q(company__owner=user) | Q(deal__owner=user)
        )
    return queryset


def visible_tasks(queryset: QuerySet, user) -> QuerySet:
    if sees_only_own(user):
        return queryset.filter(Q(assignee=user) | Q(created_by=user))
    return queryset
