"""Who may manage a workspace's API keys: its owners and admins."""

import rules

from shared_apps.accounts.rules import is_admin

rules.add_perm("integrations.manage_api_keys", is_admin)
