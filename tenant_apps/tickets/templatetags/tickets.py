"""Template tags of tickets: the tickets section of contact and company pages."""

from django import template

from shared_apps.accounts.rules import can

register = template.Library()
SHOWN = 5


@register.inclusion_tag("tickets/_record_tickets.html", takes_context=True)
def record_tickets(context, record, entity: str):
    """The latest tickets of a contact or company, with a link to all of them. One query."""
    from ..selectors import ticket_list

    user = context["request"].user
    if not can(user, "tickets.view_ticket"):
        return {"show": False}
    rows = list(ticket_list(user=user, status="all", **{f"{entity}_id": record.pk})[: SHOWN + 1])
    return {"show": True, "tickets": rows[:SHOWN], "more": len(rows) > SHOWN, "record": record, "entity": entity,
            "can_create": can(user, "tickets.add_ticket")}
