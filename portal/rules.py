"""Who on the staff side may manage customers' portal access."""

import rules

from shared_apps.accounts.rules import can_write, is_admin

# Inviting a contact, re-sending and disabling from the contact's page: anyone who may write.
rules.add_perm("portal.invite", can_write)
# The portal settings page (self-signup, the list of portal users): owners and admins.
rules.add_perm("portal.manage", is_admin)
