"""The card payments API: owners' and admins' keys read the connect status and get
Stripe's onboarding URL; other roles and read-only keys get the API's error shape."""

import pytest

from tests.api.conftest import api_for, error_of, make_key  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_a_new_workspace_reads_not_connected(api_for, owner, fake_stripe):
    response = api_for(owner).get("/api/v1/billing/connect/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "not_connected" and body["stripe_account_id"] == "" and "EUR" in body["currencies"]
    assert not fake_stripe.calls


def test_onboarding_answers_stripes_url_and_the_status_follows(api_for, admin, fake_stripe):
    response = api_for(admin).post("/api/v1/billing/connect/onboarding/")
    assert response.status_code == 200
    assert response.json()["url"].startswith("https://connect.stripe.com/setup/e/acct_")
    [link] = fake_stripe.posted("/v1/account_links")
    assert link["return_url"] == "http://acme.localhost/settings/payments/return/"
    status = api_for(admin).get("/api/v1/billing/connect/").json()
    assert status["status"] == "incomplete" and status["stripe_account_id"] == link["account"]


def test_stripe_unreachable_is_a_stable_error(api_for, owner, fake_stripe, settings):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_TEST_SECRET_KEY = ""
    response = api_for(owner).post("/api/v1/billing/connect/onboarding/")
    assert response.status_code == 400 and error_of(response)["code"] == "stripe_unavailable"


def test_a_sales_reps_key_and_a_read_only_key_get_nothing(api_for, sales_rep, owner, fake_stripe):
    assert api_for(sales_rep).get("/api/v1/billing/connect/").status_code == 403
    response = api_for(owner, "read").post("/api/v1/billing/connect/onboarding/")
    assert response.status_code == 403 and error_of(response)["code"] == "read_only_key"
    assert not fake_stripe.calls
