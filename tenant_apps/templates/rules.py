"""Who may edit templates: owners and admins. Templates speak for the company in every
offer, invoice and e-mail a customer receives, like the branding (workspace.change_settings)."""

import rules

from shared_apps.accounts.rules import is_admin

rules.add_perm("doc_templates.edit", is_admin)
