from django import template

from ..selectors import UNREAD_CAP, notification_unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell_link.html", takes_context=True)
def notifications_bell(context):
    """The bell: a link to the notifications page with the unread count (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    count = notification_unread_count(user=user)
    return {"count": count, "label": f"{UNREAD_CAP}+" if count > UNREAD_CAP else str(count)}
