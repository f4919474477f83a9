"""Fixtures for the task tests: linked records (client_for is in tests/conftest.py)."""

import pytest


@pytest.fixture
def company(in_acme, owner):
    from tenant_apps.companies.services import company_create

    return company_create(actor=owner, data={"name": "Initech"})


@pytest.fixture
def contact(in_acme, owner, company):
    from tenant_apps.contacts.services import contact_create

    return contact_create(actor=owner, data={"first_name": "Ivan", "last_name": "Petrov", "company": company})


@pytest.fixture
def deal(in_acme, owner, company):
    from tenant_apps.deals.services import deal_create

    return deal_create(actor=owner, data={"title": "Website redesign", "company": company})


@pytest.fixture
def zone(in_acme):
    from tenant_apps.tasks.selectors import workspace_zone

    return workspace_zone()
