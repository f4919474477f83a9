"""Fixtures for sales documents: a customer, a tax rate, a draft invoice."""

from decimal import Decimal

import pytest


@pytest.fixture
def company(in_acme, owner):
    from tenant_apps.companies.services import company_create

    return company_create(actor=owner, data={"name": "Initech", "tax_id": "BG123456789", "city": "Sofia"})


@pytest.fixture
def contact(in_acme, owner, company):
    from tenant_apps.contacts.services import contact_create

    return contact_create(actor=owner, data={"first_name": "Ivan", "last_name": "Petrov", "company": company,
                                             "emails": ["ivan@initech.example"]})


@pytest.fixture
def vat(in_acme):
    from tenant_apps.sales.models import TaxRate

    return TaxRate.objects.create(name="VAT", rate=Decimal("20"), is_default=True)


@pytest.fixture
def draft_invoice(owner, company, contact, vat):
    from tenant_apps.sales.services.documents import document_create

    return document_create(
        actor=owner, kind="invoice", data={"company": company, "contact": contact, "currency": "EUR"},
        lines=[{"description": "Consulting", "quantity": "10", "unit_price": "95.50", "tax_rates": [vat.pk]},
               {"description": "Licence", "quantity": "1", "unit_price": "1200", "tax_rates": [vat.pk]}],
    )


@pytest.fixture
def issued_invoice(owner, draft_invoice):
    from tenant_apps.sales.services.documents import invoice_issue

    return invoice_issue(document=draft_invoice, actor=owner)
