"""Reads of the plan catalogue."""

from .models import Plan


def plan_list_public():
    return Plan.objects.filter(is_public=True).order_by("sort_order")


def plan_default():
    """The plan a new workspace starts on."""
    return Plan.objects.get(code="free")
