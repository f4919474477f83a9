"""Who may do what with support tickets.

Tickets are the support team's shared queue: every member sees them and the people who
may write to contacts (owner, admin, manager, sales, support) answer them, assign them and
change their status; read-only members only read. When the workspace limits sales reps to
their own records (Tenant.sales_see_own_only), a sales rep sees the tickets of contacts
they own and the tickets assigned to them, nothing else (see selectors.visible_tickets)."""

import rules

from shared_apps.accounts.rules import is_member
from tenant_apps.records.rules import is_contact_writer, sees_only_own


@rules.predicate
def may_see_ticket(user, ticket):
    if ticket is None:
        return is_member(user)
    if not is_member(user):
        return False
    if not sees_only_own(user):
        return True
    return ticket.assignee_id == user.pk or getattr(ticket.contact, "owner_id", None) == user.pk


rules.add_perm("tickets.view_ticket", may_see_ticket)
rules.add_perm("tickets.add_ticket", is_contact_writer)
rules.add_perm("tickets.reply", is_contact_writer & may_see_ticket)
rules.add_perm("tickets.change_ticket", is_contact_writer & may_see_ticket)
