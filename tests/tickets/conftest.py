import pytest
from django.db import connection

from tests.portal_helpers import make_customer, portal_client_for


@pytest.fixture
def customer(tenant_a):
    """Nora, of Northwind, a customer of acme with portal access."""
    return make_customer(tenant_a, email="nora@northwind.test", company="Northwind")


@pytest.fixture
def colleague(tenant_a, customer):
    """Ned, also of Northwind: he sees Nora's tickets (same company)."""
    return make_customer(tenant_a, email="ned@northwind.test", company="Northwind", name="Ned Colleague")


@pytest.fixture
def other_customer(tenant_a):
    """Otto, of Initech, another customer of acme: he must see nothing of Northwind's."""
    return make_customer(tenant_a, email="otto@initech.test", company="Initech", name="Otto Other")


@pytest.fixture
def customer_client(customer, tenant_a):
    client = portal_client_for(customer, tenant_a)
    connection.set_tenant(tenant_a)
    return client


@pytest.fixture
def as_portal(tenant_a):
    """as_portal(access) -> a portal client of that customer; the connection stays on acme."""

    def make(access):
        client = portal_client_for(access, tenant_a)
        connection.set_tenant(tenant_a)
        return client

    return make
