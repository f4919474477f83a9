"""Billing fixtures: moving acme to a plan with small limits, private file storage, the
import helpers of tests/imports; the fake Stripe server, priced plans, a webhook endpoint
and a way to deliver signed events to it."""

import hashlib
import hmac
import itertools
import json
import time

import pytest
import stripe
from django.db import connection
from django.test import Client

from tests.billing.fake_stripe import FakeStripe
from tests.imports.conftest import csv_bytes, run_import, upload  # noqa: F401  (fixtures used here too)

WEBHOOK_SECRET = "whsec_test_tessera_0123456789abcdef"
PRICES = {
    ("basic", "month"): 1200, ("basic", "year"): 12000,
    ("pro", "month"): 2900, ("pro", "year"): 29000,
    ("enterprise", "month"): 7900, ("enterprise", "year"): 79000,
}
_events = itertools.count(1)


@pytest.fixture(scope="session")
def _fake_stripe_server():
    fake = FakeStripe().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_stripe(_fake_stripe_server, settings):
    """The real stripe SDK, pointed at the local fake, with a test key."""
    previous = stripe.api_base
    settings.STRIPE_SECRET_KEY = "sk_test_51TesseraFakeKey0123456789"
    settings.STRIPE_TEST_SECRET_KEY = "sk_test_51TesseraFakeKey0123456789"
    stripe.api_base = _fake_stripe_server.url
    _fake_stripe_server.reset()
    yield _fake_stripe_server
    stripe.api_base = previous


@pytest.fixture
def priced_plans(fake_stripe):
    """Basic, Pro and Enterprise sold monthly and yearly through Stripe prices."""
    from billing.models import Plan

    plans = {}
    for code in ("basic", "pro", "enterprise"):
        product = fake_stripe.product(name=f"Tessera {code.title()}")
        monthly = fake_stripe.price(price_id=f"price_{code}_month", amount=PRICES[(code, "month")], product=product)
        yearly = fake_stripe.price(
            price_id=f"price_{code}_year", amount=PRICES[(code, "year")], interval="year", product=product
        )
        Plan.objects.filter(code=code).update(stripe_price_monthly=monthly["id"], stripe_price_yearly=yearly["id"])
        plans[code] = Plan.objects.get(code=code)
    plans["free"] = Plan.objects.get(code="free")
    return plans


@pytest.fixture
def webhook_endpoint(db):
    from djstripe.models import WebhookEndpoint

    return WebhookEndpoint.objects.create(
        id="we_test_tessera", secret=WEBHOOK_SECRET, livemode=False, enabled_events=["*"], status="enabled",
        url="http://localhost/stripe/webhook/", api_version="2026-05-27.dahlia",
    )


def sign(payload: str, *, secret=WEBHOOK_SECRET, timestamp=None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={signature}"


def event(event_type: str, obj: dict, *, created=None, event_id=None) -> dict:
    return {
        "id": event_id or f"evt_test_{next(_events):010d}_{int(time.time() * 1000)}", "object": "event",
        "api_version": "2026-05-27.dahlia", "created": int(time.time()) if created is None else created,
        "data": {"object": obj, "previous_attributes": {}}, "livemode": False, "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None}, "type": event_type,
    }


@pytest.fixture
def deliver(webhook_endpoint):
    """Post one event to the webhook endpoint on the public host, signed like Stripe does."""

    def post(payload: dict, *, secret=WEBHOOK_SECRET, timestamp=None, signature=None, client=None):
        body = json.dumps(payload)
        client = client or Client(HTTP_HOST="localhost")
        return client.post(
            f"/stripe/webhook/{webhook_endpoint.djstripe_uuid}/", data=body, content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signature or sign(body, secret=secret, timestamp=timestamp),
        )

    return post


@pytest.fixture
def subscribed(fake_stripe, priced_plans, tenant_a):
    """Build acme's Stripe customer and a subscription in the fake, linked to acme."""
    from billing.models import BillingAccount

    def make(plan="pro", interval="month", status="active", created=None):
        account, _ = BillingAccount.objects.get_or_create(tenant=tenant_a)
        if not account.stripe_customer_id:
            customer = fake_stripe.customer(metadata={"djstripe_subscriber": str(tenant_a.pk)})
            BillingAccount.objects.filter(pk=account.pk).update(stripe_customer_id=customer["id"])
            account.stripe_customer_id = customer["id"]
        price = fake_stripe.get(f"price_{plan}_{interval}")
        return fake_stripe.subscription(customer=account.stripe_customer_id, price=price, status=status, created=created)

    return make


from tests.imports.conftest import csv_bytes, run_import, upload  # noqa: F401  (fixtures used here too)


@pytest.fixture
def on_plan(tenant_a):
    """on_plan(code="free", **fields) -> acme moved to that seeded plan, its fields changed
    as given (max_contacts=3, features=[], ...). Rolled back with the test."""
    from billing.models import Plan
    from tenants.models import Tenant

    def move(code="free", **fields):
        if fields:
            Plan.objects.filter(code=code).update(**fields)
        plan = Plan.objects.get(code=code)
        Tenant.objects.filter(pk=tenant_a.pk).update(plan=plan)
        tenant_a.plan = plan
        return plan

    return move


@pytest.fixture
def media(settings, tmp_path):
    """Default storage in a folder of this test alone, so storage usage starts at 0."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def add_contacts(in_acme, owner):
    """add_contacts(n) -> n contacts in acme, written directly (not through the limits)."""
    from tenant_apps.contacts.models import Contact

    def add(n):
        connection.set_tenant(in_acme)
        return Contact.objects.bulk_create(
            [Contact(first_name=f"Person {i}", owner=owner, created_by=owner) for i in range(n)]
        )

    return add


@pytest.fixture
def contact_count(in_acme):
    from tenant_apps.contacts.models import Contact

    def count():
        connection.set_tenant(in_acme)
        return Contact.objects.count()

    return count
