"""Who may do what with products and sales documents.

  view documents        members; a sales rep limited to own records sees documents they own
  write drafts, send,   owners, admins, managers, sales (a rep only their own documents
  issue, record payment when limited to own records)
  void, credit, refund  owners, admins, managers
  products, tax rates,  owners, admins, managers (everyone may view the catalogue)
  sales settings
"""

import rules

from shared_apps.accounts.rules import is_member
from tenant_apps.records.rules import is_manager, is_seller, may_see

rules.add_perm("sales.view_document", may_see)
rules.add_perm("sales.add_document", is_seller)
rules.add_perm("sales.change_document", is_seller & may_see)
rules.add_perm("sales.record_payment", is_seller & may_see)
rules.add_perm("sales.void_document", is_manager & may_see)
rules.add_perm("sales.refund", is_manager & may_see)
rules.add_perm("sales.view_product", is_member)
rules.add_perm("sales.change_product", is_manager)
rules.add_perm("sales.change_settings", is_manager)
