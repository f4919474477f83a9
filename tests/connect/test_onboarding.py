"""Settings → Card payments: an owner connects acme's own Stripe account (created once),
comes back from Stripe's onboarding and sees where it stands; account.updated keeps it
current."""

import pytest
from django.test import Client

from tests.helpers import sign_in

from .conftest import connect_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(tenant_a, owner):
    client = Client(HTTP_HOST="acme.localhost")
    sign_in(client, owner, tenant=tenant_a)
    return client


def _account(tenant):
    from billing.models import ConnectedAccount

    return ConnectedAccount.objects.filter(tenant=tenant).first()


def test_a_new_workspace_is_not_connected(owner_client, fake_stripe):
    response = owner_client.get("/settings/payments/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-connect-status="not_connected"' in body and "Connect Stripe" in body
    assert not fake_stripe.calls


def test_connect_creates_the_account_once_and_sends_the_owner_to_stripe(owner_client, fake_stripe, tenant_a, owner):
    from shared_apps.audit.models import SecurityEvent

    # given / when: the owner connects, then clicks again (a second tab, a double click)
    first = owner_client.post("/settings/payments/connect/")
    second = owner_client.post("/settings/payments/connect/")
    # then
    assert first.status_code == 302 and first["Location"].startswith("https://connect.stripe.com/setup/e/acct_")
    assert second.status_code == 302 and second["Location"].startswith("https://connect.stripe.com/setup/e/acct_")
    [created] = fake_stripe.posted("/v1/accounts")
    assert created["type"] == "express" and created["metadata[tenant_id]"] == str(tenant_a.pk)
    assert created["email"] == owner.email
    account = _account(tenant_a)
    assert account.stripe_account_id.startswith("acct_") and not account.is_ready
    links = fake_stripe.posted("/v1/account_links")
    assert len(links) == 2
    assert {link["account"] for link in links} == {account.stripe_account_id}
    assert links[0]["return_url"] == "http://acme.localhost/settings/payments/return/"
    assert links[0]["refresh_url"] == "http://acme.localhost/settings/payments/refresh/"
    assert links[0]["type"] == "account_onboarding"
    assert SecurityEvent.objects.filter(kind="payments_connected", tenant=tenant_a).count() == 1
    page = owner_client.get("/settings/payments/").content.decode()
    assert 'data-connect-status="incomplete"' in page and "Continue on Stripe" in page


def test_the_return_from_stripe_reads_the_account_again(owner_client, fake_stripe, tenant_a):
    owner_client.post("/settings/payments/connect/")
    account = _account(tenant_a)
    fake_stripe.account_ready(account.stripe_account_id)

    response = owner_client.get("/settings/payments/return/", follow=True)

    assert response.status_code == 200
    assert "Your Stripe account is ready" in response.content.decode()
    assert 'data-connect-status="ready"' in response.content.decode()
    account.refresh_from_db()
    assert account.is_ready and account.payouts_enabled and account.default_currency == "EUR"


def test_an_unfinished_onboarding_says_so_on_return(owner_client, fake_stripe, tenant_a):
    owner_client.post("/settings/payments/connect/")
    response = owner_client.get("/settings/payments/return/", follow=True)
    assert "Stripe still needs some details" in response.content.decode()
    assert not _account(tenant_a).is_ready


def test_an_expired_link_gets_a_fresh_one_without_a_new_account(owner_client, fake_stripe, tenant_a):
    owner_client.post("/settings/payments/connect/")
    response = owner_client.get("/settings/payments/refresh/")
    assert response.status_code == 302 and response["Location"].startswith("https://connect.stripe.com/")
    assert len(fake_stripe.posted("/v1/accounts")) == 1
    assert len(fake_stripe.posted("/v1/account_links")) == 2


def test_refresh_before_connecting_is_a_clear_refusal(owner_client, fake_stripe):
    response = owner_client.get("/settings/payments/refresh/", follow=True)
    assert response.status_code == 200 and "Connect a Stripe account first." in response.content.decode()
    assert not fake_stripe.calls


def test_stripe_unreachable_is_a_message_not_a_500(owner_client, fake_stripe, settings, tenant_a):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_TEST_SECRET_KEY = ""
    response = owner_client.post("/settings/payments/connect/", follow=True)
    assert response.status_code == 200
    assert "The payment provider could not be reached" in response.content.decode()
    assert _account(tenant_a) is None


def test_the_account_link_failing_leaves_the_account_for_the_next_try(owner_client, fake_stripe, tenant_a):
    """Created in Stripe and stored before the link is asked: a failed link loses nothing."""
    owner_client.post("/settings/payments/connect/")
    stored = _account(tenant_a).stripe_account_id
    fake_stripe.objects.pop(stored)  # Stripe refuses the link now
    response = owner_client.post("/settings/payments/connect/", follow=True)
    assert "The payment provider could not be reached" in response.content.decode()
    assert _account(tenant_a).stripe_account_id == stored
    assert len(fake_stripe.posted("/v1/accounts")) == 1


def test_account_updated_keeps_the_status_fresh_and_ignores_older_news(
    owner_client, fake_stripe, tenant_a, deliver_connect
):
    owner_client.post("/settings/payments/connect/")
    account_id = _account(tenant_a).stripe_account_id
    ready = fake_stripe.account_ready(account_id)
    stale = dict(ready, charges_enabled=False, details_submitted=False)

    assert deliver_connect(connect_event("account.updated", ready, account=account_id, created=2_000_000_000)).status_code == 200
    assert _account(tenant_a).is_ready
    # an older event arriving late changes nothing
    assert deliver_connect(connect_event("account.updated", stale, account=account_id, created=1_900_000_000)).status_code == 200
    assert _account(tenant_a).is_ready
    # a newer one does
    assert deliver_connect(connect_event("account.updated", stale, account=account_id, created=2_000_000_100)).status_code == 200
    assert _account(tenant_a).status == "incomplete"


def test_account_updated_of_an_unknown_account_is_ignored(fake_stripe, deliver_connect):
    from billing.models import ConnectedAccount

    stranger = fake_stripe.connected_account(ready=True)
    response = deliver_connect(connect_event("account.updated", stranger, account=stranger["id"]))
    assert response.status_code == 200
    assert not ConnectedAccount.objects.filter(stripe_account_id=stranger["id"]).exists()


def test_the_tab_is_for_owners_and_admins(tenant_a, admin, sales_rep):
    client = Client(HTTP_HOST="acme.localhost")
    sign_in(client, admin, tenant=tenant_a)
    assert "/settings/payments/" in client.get("/settings/billing/").content.decode()
    rep = Client(HTTP_HOST="acme.localhost")
    sign_in(rep, sales_rep, tenant=tenant_a)
    assert rep.get("/settings/payments/").status_code == 403
    assert rep.post("/settings/payments/connect/").status_code == 403


def test_another_workspaces_owner_cannot_connect_acme(tenant_a, tenant_b, outsider, fake_stripe):
    from django.conf import settings as dj_settings

    theirs = Client(HTTP_HOST="globex.localhost")
    sign_in(theirs, outsider, tenant=tenant_b)
    replayed = Client(HTTP_HOST="acme.localhost")
    replayed.cookies[dj_settings.SESSION_COOKIE_NAME] = theirs.cookies[dj_settings.SESSION_COOKIE_NAME].value
    response = replayed.post("/settings/payments/connect/")
    assert response.status_code in (302, 403, 404)
    assert _account(tenant_a) is None and not fake_stripe.calls
