"""Who may see the workspace's plan, usage and billing: owners and admins."""

import rules

from shared_apps.accounts.rules import is_admin

rules.add_perm("billing.view_billing", is_admin)
