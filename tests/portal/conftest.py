import pytest

from tests.portal_helpers import make_customer, portal_client_for


@pytest.fixture
def customer(tenant_a):
    """Nora, of Northwind, a customer of acme with portal access."""
    return make_customer(tenant_a, email="nora@northwind.test", company="Northwind")


@pytest.fixture
def other_customer(tenant_a):
    """Otto, of Initech, another customer of acme: Nora must see nothing of his."""
    return make_customer(tenant_a, email="otto@initech.test", company="Initech", name="Otto Other")


@pytest.fixture
def customer_b(tenant_b):
    """Bea, a customer of globex (the other workspace)."""
    return make_customer(tenant_b, email="bea@globex-client.test", company="Umbrella", name="Bea Beyond")


@pytest.fixture
def customer_client(customer, tenant_a):
    return portal_client_for(customer, tenant_a)
