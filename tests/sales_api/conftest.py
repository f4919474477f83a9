"""Fixtures for the sales API: the sales fixtures (customer, tax rate, invoices) and the
API's keys and clients."""

from tests.api.conftest import api, api_for, error_of, make_key  # noqa: F401
from tests.sales.conftest import company, contact, draft_invoice, issued_invoice, vat  # noqa: F401
