"""Who may see and change a workspace's subscription: owners and admins."""

import rules

from shared_apps.accounts.rules import is_admin

rules.add_perm("billing.manage", is_admin)
