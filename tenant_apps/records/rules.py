"""Who may see and change CRM records.

Roles (shared_apps.accounts.models.Role):
  owner, admin, manager  everything on records, imports and exports
  sales                  contacts, companies, deals; deletes only what they own;
                         with the workspace setting on, sees only what they own
  support                contacts (and later tickets); sees companies and deals
  read_only              sees everything visible to them, changes nothing
"""

import rules
from django.db import connection

from shared_apps.accounts.models import Role
from shared_apps.accounts.rules import current_membership, has_role, is_member

MANAGERS = (Role.OWNER, Role.ADMIN, Role.MANAGER)
SELLERS = (*MANAGERS, Role.SALES)
CONTACT_WRITERS = (*SELLERS, Role.SUPPORT)


def sees_only_own(user) -> bool:
    """True when `user` is a sales rep in a workspace that limits them to their records."""
    membership = current_membership(user)
    tenant = getattr(connection, "tenant", None)
    return bool(
        membership is not None
        and membership.role == Role.SALES
        and getattr(tenant, "sales_see_own_only", False)
    )


@rules.predicate
def is_record_owner(user, record):
    return record is not None and getattr(record, "owner_id", None) == user.pk


@rules.predicate
def may_see(user, record):
    if record is None:
        return is_member(user)
    return is_member(user) and (not sees_only_own(user) or getattr(record, "owner_id", None) == user.pk)


is_manager = has_role(*MANAGERS)
is_seller = has_role(*SELLERS)
is_contact_writer = has_role(*CONTACT_WRITERS)

for model, writers in (("contact", is_contact_writer), ("company", is_seller), ("deal", is_seller)):
    app = {"contact": "contacts", "company": "companies", "deal": "deals"}[model]
    rules.add_perm(f"{app}.view_{model}", may_see)
    rules.add_perm(f"{app}.add_{model}", writers)
    rules.add_perm(f"{app}.change_{model}", writers & may_see)
    rules.add_perm(f"{app}.delete_{model}", may_see & (is_manager | (writers & is_record_owner)))

rules.add_perm("records.bulk_change", is_seller | is_contact_writer)
rules.add_perm("records.bulk_delete", is_manager)
rules.add_perm("records.import", is_manager)
rules.add_perm("records.export", is_manager)
rules.add_perm("records.merge", is_manager | is_seller)
rules.add_perm("records.erase", is_manager)
rules.add_perm("records.manage_fields", has_role(Role.OWNER, Role.ADMIN))
rules.add_perm("records.manage_views", is_member)
rules.add_perm("deals.manage_pipelines", is_manager)
rules.add_perm("activities.log", is_contact_writer)
rules.add_perm("tasks.add_task", is_contact_writer)
