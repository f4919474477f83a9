"""Template helpers for task pages and the record pages' tasks block."""

from django import template

from shared_apps.accounts.rules import can

from ..selectors import link_value, request_zone

register = template.Library()


@register.simple_tag
def task_link_for(record) -> str:
    """The linked-record value ("contact:12") that pre-sets the link of a new task."""
    return link_value(record)


@register.simple_tag(takes_context=True)
def tasks_timezone(context):
    """The workspace's time zone, for {% timezone %} around task times."""
    return request_zone(context["request"])


@register.simple_tag(takes_context=True)
def tasks_can_add(context) -> bool:
    return can(context["request"].user, "tasks.add_task")
