"""Who may see the workspace's plan, usage and subscription, and change the subscription:
owners and admins. One permission for the whole billing page and its actions (Checkout,
the Billing Portal, the API's billing endpoints)."""

import rules

from shared_apps.accounts.rules import is_admin

rules.add_perm("billing.manage", is_admin)
