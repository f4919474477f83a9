"""Portal isolation rows for paying an invoice by card (see tests/portal/test_isolation.py):
the pay page and its POST, and the page Stripe returns to, name one customer's invoice."""

from tests.connect.invoices import issued_invoice_for

PORTAL_URLS = {
    "portal_invoice_pay": ("post", "object"),
    "portal_invoice_paid": ("get", "object"),
}


def url_args(name, tenant, access):
    return [issued_invoice_for(tenant, access).pk]
