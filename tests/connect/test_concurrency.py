"""Card payments against committed data and real connections: Stripe delivering the same
checkout.session.completed twice at the same moment records one payment; and the whole
round trip through the fake's hosted Checkout page, whose "Pay" posts the signed event to
a live server, ends with the invoice paid (what the browser test drives)."""

import json
import threading
import urllib.error
import urllib.request
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from tests.browser.conftest import live_server_url  # noqa: F401 (fixture)

from .conftest import CONNECT_SECRET, connect_event
from .invoices import issued_invoice_for


@pytest.fixture
def race(django_db_setup, django_db_blocker, settings):
    """A workspace of its own (committed, deleted after), with a ready connected account,
    a portal customer of Northwind and an issued invoice of 120.50 EUR."""
    from billing.models import ConnectedAccount
    from shared_apps.accounts.models import User
    from tenants.models import Tenant
    from tenants.services import tenant_delete, tenant_provision
    from tests.helpers import make_user
    from tests.portal_helpers import make_customer

    settings.STRIPE_CONNECT_WEBHOOK_SECRET = CONNECT_SECRET
    with django_db_blocker.unblock():
        owner = make_user("owner@race-connect.test")
        tenant = tenant_provision(slug="connect-race", name="Race", owner=owner, method="clone")
        try:
            connection.set_schema_to_public()
            account = ConnectedAccount.objects.create(
                tenant=tenant, stripe_account_id="acct_RaceConnect0001", charges_enabled=True, details_submitted=True
            )
            access = make_customer(tenant, email="nora@race-connect.test", company="Northwind")
            invoice = issued_invoice_for(tenant, access, owner=owner)
            yield {"tenant": tenant, "account": account, "access": access, "invoice": invoice}
        finally:
            connection.set_schema_to_public()
            tenant_delete(tenant=Tenant.objects.get(slug="connect-race"), backup=False)
            User.objects.filter(email__endswith="@race-connect.test").delete()


def _paid_state(tenant, invoice):
    from tenant_apps.sales.models import Document, Payment

    connection.set_tenant(tenant)
    try:
        return Payment.objects.filter(document_id=invoice.pk).count(), Document.objects.get(pk=invoice.pk)
    finally:
        connection.set_schema_to_public()


def test_two_concurrent_deliveries_record_one_payment(race):
    from tests.billing.conftest import sign

    tenant, invoice = race["tenant"], race["invoice"]
    session = {
        "id": "cs_test_RaceConnect0001", "object": "checkout.session", "mode": "payment",
        "status": "complete", "payment_status": "paid", "amount_total": 12050, "currency": "eur",
        "payment_intent": "pi_RaceConnect0001",
        "metadata": {"tessera_schema": tenant.schema_name, "tenant_id": str(tenant.pk),
                     "invoice_id": str(invoice.pk), "amount_due_minor": "12050"},
    }
    body = json.dumps(connect_event("checkout.session.completed", session, account="acct_RaceConnect0001"))
    barrier, statuses = threading.Barrier(2), []

    def post():
        try:
            barrier.wait()
            response = Client(HTTP_HOST="localhost").post(
                "/webhooks/stripe/connect/", data=body, content_type="application/json",
                HTTP_STRIPE_SIGNATURE=sign(body, secret=CONNECT_SECRET),
            )
            statuses.append(response.status_code)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert statuses == [200, 200]
    count, paid = _paid_state(tenant, invoice)
    assert count == 1
    assert paid.status == "paid" and paid.amount_paid == Decimal("120.50")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_hosted_checkout_round_trip_marks_the_invoice_paid(race, live_server_url, _fake_stripe_server, settings):  # noqa: F811
    import stripe

    from tests.portal_helpers import portal_client_for

    fake = _fake_stripe_server
    fake.reset()
    previous_base = stripe.api_base
    stripe.api_base = fake.url
    settings.STRIPE_SECRET_KEY = settings.STRIPE_TEST_SECRET_KEY = "sk_test_51TesseraFakeKey0123456789"
    try:
        fake.put(dict(fake.connected_account(ready=True), id="acct_RaceConnect0001"))
        fake.hosted_checkout(f"{live_server_url}/webhooks/stripe/connect/", CONNECT_SECRET)
        tenant, invoice = race["tenant"], race["invoice"]
        client = portal_client_for(race["access"], tenant)
        # the customer presses "Pay by card" and is sent to the (fake) hosted Checkout
        checkout = client.post(f"/invoices/{invoice.pk}/pay/")["Location"]
        assert checkout.startswith(fake.url + "/c/pay/cs_test_")
        assert "Pay 120.50 EUR" in urllib.request.urlopen(checkout, timeout=30).read().decode()
        # pays there: Stripe posts the signed event to the live server and sends the browser back
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as answer:
            opener.open(urllib.request.Request(checkout + "/", data=b"", method="POST"), timeout=60)
        assert answer.value.code == 303
        back = answer.value.headers["Location"]
        session_id = checkout.rsplit("/", 1)[-1]
        assert back == f"http://connect-race.portal.localhost/invoices/{invoice.pk}/paid/?session_id={session_id}"
        count, paid = _paid_state(tenant, invoice)
        assert count == 1 and paid.status == "paid"
        page = client.get(back.removeprefix("http://connect-race.portal.localhost")).content.decode()
        assert 'data-payment-state="paid"' in page
    finally:
        stripe.api_base = previous_base
