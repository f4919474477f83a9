"""Portal isolation rows for the customer's documents, payments, details and data export
(see tests/portal/test_isolation.py). Object rows name a document of `access`'s company."""

from tests.portal.documents import customer_document

PORTAL_URLS = {
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


def url_args(name, tenant, access):
    if name not in KINDS:
        return []
    return [customer_document(tenant, access, kind=KINDS[name]).pk]
