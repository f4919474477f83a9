import rules

from shared_apps.accounts.rules import is_admin

# The workspace's own model endpoint (Enterprise): admins and owners.
rules.add_perm("assistant.configure", is_admin)
