"""Portal isolation rows for tests/portal/test_isolation.py.

Access pages: the link pages are guarded by their tokens (test_magic_link.py, test_invite.py,
test_signup.py, test_account.py); the account page needs a customer. Documents, payments,
details and the data export: object rows name a document of `access`'s company."""

from tests.portal.documents import customer_document

PORTAL_URLS = {
    "portal_magic_link": ("get", "token"),
    "portal_invite_accept": ("get", "token"),
    "portal_signup": ("get", "open"),
    "portal_signup_confirm": ("get", "token"),
    "portal_password_reset": ("get", "open"),
    "portal_password_reset_confirm": ("get", "token"),
    "portal_account": ("get", "customer"),
    "portal_offer_list": ("get", "customer"),
    "portal_offer_detail": ("get", "object"),
    "portal_offer_answer": ("post", "object"),
    "portal_invoice_list": ("get", "customer"),
    "portal_invoice_detail": ("get", "object"),
    "portal_credit_note_list": ("get", "customer"),
    "portal_credit_note_detail": ("get", "object"),
    "portal_document_pdf": ("get", "object"),
    "portal_payment_list": ("get", "customer"),
    "portal_profile": ("get", "customer"),
    "portal_data_export": ("post", "customer"),
}
KINDS = {
    "portal_offer_detail": "offer",
    "portal_offer_answer": "offer",
    "portal_invoice_detail": "invoice",
    "portal_credit_note_detail": "credit_note",
    "portal_document_pdf": "invoice",
}


TOKEN_PAGES = ("portal_magic_link", "portal_invite_accept", "portal_signup_confirm", "portal_password_reset_confirm")


def url_args(name, tenant, access):
    if name in TOKEN_PAGES:
        return ["not-a-token"]
    if name not in KINDS:
        return []
    return [customer_document(tenant, access, kind=KINDS[name]).pk]
