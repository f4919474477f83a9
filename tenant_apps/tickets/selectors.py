"""Reading tickets: what a member or a portal customer may see, with everything a page
shows loaded in a fixed number of queries."""

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet

from portal.access import customer_scope
from shared_apps.accounts.models import Membership
from shared_apps.accounts.selectors import workspace_admins
from tenant_apps.records.rules import CONTACT_WRITERS, sees_only_own

from .models import Ticket, TicketAttachment, TicketMessage

LIST_STATUSES = ("active", "open", "pending", "closed", "all")


def visible_tickets(queryset: QuerySet, user) -> QuerySet:
    """Every member sees the tickets; a sales rep limited to their own records sees those
    of contacts they own and those assigned to them (see rules.py)."""
    if sees_only_own(user):
        return queryset.filter(Q(contact__owner=user) | Q(assignee=user))
    return queryset


def assignable_members():
    """Members who may answer tickets (the assignee choices), by name."""
    return (
        Membership.objects.filter(tenant_id=connection.tenant.pk, user__is_active=True, role__in=CONTACT_WRITERS)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def ticket_admins():
    """Who hears of a ticket nobody is assigned to: the workspace's owners and admins."""
    return workspace_admins(tenant=connection.tenant)


def ticket_list(*, user, status: str = "active", assignee=None, contact_id=None, company_id=None) -> QuerySet:
    """Tickets `user` may see, newest conversation first. `status`: active (not closed),
    open, pending, closed or all; `assignee`: "me", "none" or a user id."""
    qs = visible_tickets(Ticket.objects.all(), user).select_related("contact", "company", "assignee")
    if status == "active":
        qs = qs.exclude(status=Ticket.Status.CLOSED)
    elif status in Ticket.Status.values:
        qs = qs.filter(status=status)
    if assignee == "me":
        qs = qs.filter(assignee=user)
    elif assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif isinstance(assignee, int):
        qs = qs.filter(assignee_id=assignee)
    if contact_id is not None:
        qs = qs.filter(contact_id=contact_id)
    if company_id is not None:
        qs = qs.filter(company_id=company_id)
    return qs.annotate(message_count=Count("messages")).order_by("-last_message_at", "-pk")


def ticket_get(*, user, pk) -> Ticket | None:
    """One ticket if `user` may see it, with its contact, company and assignee."""
    return (
        visible_tickets(Ticket.objects.select_related("contact", "company", "assignee", "created_by"), user)
        .filter(pk=pk)
        .first()
    )


def ticket_messages(*, ticket: Ticket, include_internal: bool) -> list[TicketMessage]:
    """The conversation, oldest first, with authors and attachments (two queries)."""
    qs = TicketMessage.objects.filter(ticket=ticket).select_related("author").prefetch_related(
        Prefetch("attachments", queryset=TicketAttachment.objects.order_by("pk"))
    )
    if not include_internal:
        qs = qs.filter(internal=False)
    return list(qs.order_by("created_at", "pk"))


def ticket_counts(*, user) -> dict:
    """How many tickets wait on us, in all and for `user`."""
    qs = visible_tickets(Ticket.objects.filter(status=Ticket.Status.OPEN), user)
    return qs.aggregate(open=Count("pk"), mine=Count("pk", filter=Q(assignee=user)))


def staff_attachment_get(*, user, pk) -> TicketAttachment | None:
    """An attachment of a ticket `user` may see."""
    attachment = TicketAttachment.objects.select_related("message__ticket__contact").filter(pk=pk).first()
    if attachment is None:
        return None
    if not visible_tickets(Ticket.objects.filter(pk=attachment.message.ticket_id), user).exists():
        return None
    return attachment


# --- the portal --------------------------------------------------------------------------


def portal_tickets(*, access) -> QuerySet:
    """The tickets of the customer's company (or, without one, their own)."""
    return Ticket.objects.filter(customer_scope(access))


def portal_ticket_list(*, access, status: str = "all") -> QuerySet:
    qs = portal_tickets(access=access).select_related("contact")
    if status == "active":
        qs = qs.exclude(status=Ticket.Status.CLOSED)
    elif status == "closed":
        qs = qs.filter(status=Ticket.Status.CLOSED)
    return qs.order_by("-last_message_at", "-pk")


def portal_ticket_get(*, access, pk) -> Ticket | None:
    return portal_tickets(access=access).select_related("contact").filter(pk=pk).first()


def portal_attachment_get(*, access, pk) -> TicketAttachment | None:
    """An attachment the customer may download: on a message they can see (no internal
    notes) of a ticket of their company."""
    return (
        TicketAttachment.objects.filter(
            pk=pk, message__internal=False, message__ticket__in=portal_tickets(access=access)
        )
        .select_related("message")
        .first()
    )


def portal_tickets_export(access) -> list[dict]:
    """The customer's tickets for their data export ("Download my data"): what the portal
    shows them — never internal notes or their files. Three queries whatever the count."""
    visible = TicketMessage.objects.filter(internal=False).order_by("created_at", "pk").prefetch_related("attachments")
    tickets = portal_tickets(access=access).order_by("created_at", "pk").prefetch_related(
        Prefetch("messages", queryset=visible, to_attr="visible_messages")
    )
    return [
        {
            "number": ticket.pk,
            "subject": ticket.subject,
            "status": ticket.status,
            "opened": ticket.created_at.isoformat(),
            "closed": ticket.closed_at.isoformat() if ticket.closed_at else None,
            "messages": [
                {
                    "from": message.author_kind,
                    "at": message.created_at.isoformat(),
                    "text": message.body,
                    "files": [attachment.original_name for attachment in message.attachments.all()],
                }
                for message in ticket.visible_messages
            ],
        }
        for ticket in tickets
    ]
