"""Stripe Connect fixtures: the fake Stripe (tests/billing/fake_stripe.py), acme's connected
account, a portal customer's open invoice, and signed Connect events delivered to
/webhooks/stripe/connect/ on the public host."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from tests.billing.conftest import _fake_stripe_server, event, fake_stripe, sign  # noqa: F401 (fixtures)
from tests.connect.invoices import issued_invoice_for
from tests.portal_helpers import make_customer, portal_client_for

CONNECT_SECRET = "whsec_test_tessera_connect_0123456789"


def connect_event(event_type, obj, *, account, created=None, event_id=None):
    payload = event(event_type, obj, created=created, event_id=event_id)
    payload["account"] = account
    return payload


@pytest.fixture(autouse=True)
def connect_secret(settings):
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = CONNECT_SECRET
    return CONNECT_SECRET


@pytest.fixture
def deliver_connect():
    """Post one Connect event to the public host, signed like Stripe does."""

    def post(payload: dict, *, secret=CONNECT_SECRET, signature=None):
        body = json.dumps(payload)
        return Client(HTTP_HOST="localhost").post(
            "/webhooks/stripe/connect/", data=body, content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signature or sign(body, secret=secret),
        )

    return post


@pytest.fixture
def acme_account(fake_stripe, tenant_a):
    """acme's connected account, onboarding done (in the fake and in our table)."""
    from billing.models import ConnectedAccount

    stripe_account = fake_stripe.connected_account(ready=True)
    ConnectedAccount.objects.create(
        tenant=tenant_a, stripe_account_id=stripe_account["id"], charges_enabled=True, payouts_enabled=True,
        details_submitted=True, default_currency="EUR", country="BG",
    )
    return stripe_account


@pytest.fixture
def nora(tenant_a):
    """Nora of Northwind, a customer of acme with portal access."""
    return make_customer(tenant_a, email="nora@northwind.test", company="Northwind")


@pytest.fixture
def nora_client(nora, tenant_a):
    return portal_client_for(nora, tenant_a)


@pytest.fixture
def nora_invoice(tenant_a, nora):
    """An issued invoice of Northwind's: 120.50 EUR + no tax."""
    invoice = issued_invoice_for(tenant_a, nora)
    assert invoice.total == Decimal("120.50")
    return invoice


@pytest.fixture
def in_schema():
    """in_schema(tenant): read and write in that tenant's schema from the test."""

    def switch(tenant):
        connection.set_tenant(tenant)

    return switch
