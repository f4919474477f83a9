"""The billing REST API: owners' and admins' keys read the subscription and get Stripe
URLs; other roles and read-only keys get the API's error shape."""

import pytest
from django.test import Client

from tests.api.conftest import api_for, error_of, make_key  # noqa: F401 (fixtures)


@pytest.mark.django_db
class TestBillingApi:
    def test_the_owner_reads_the_trial(self, api_for, owner, priced_plans):
        response = api_for(owner).get("/api/v1/billing/subscription/")
        assert response.status_code == 200
        body = response.json()
        assert body["plan"] == "pro" and body["status"] == "trialing" and body["trial_ends_at"]
        assert {"plan": "basic", "interval": "year", "price": "120.00", "currency": "EUR", "current": False} in body["plans_for_sale"]

    def test_checkout_answers_the_stripe_url(self, api_for, admin, priced_plans, fake_stripe):
        response = api_for(admin).post("/api/v1/billing/checkout/", {"plan": "enterprise", "interval": "month"},
                                       content_type="application/json")
        assert response.status_code == 200
        assert response.json()["url"].startswith("https://checkout.stripe.com/")
        [session] = fake_stripe.posted("/v1/checkout/sessions")
        assert session["line_items[0][price]"] == "price_enterprise_month"

    def test_bad_input_is_a_validation_error(self, api_for, owner, priced_plans, fake_stripe):
        response = api_for(owner).post("/api/v1/billing/checkout/", {"plan": "free", "interval": "daily"},
                                       content_type="application/json")
        assert response.status_code == 400
        assert set(error_of(response)["fields"]) == {"plan", "interval"}
        assert not fake_stripe.calls

    def test_portal_without_a_customer_is_a_stable_error(self, api_for, owner, fake_stripe):
        response = api_for(owner).post("/api/v1/billing/portal/")
        assert response.status_code == 400 and error_of(response)["code"] == "no_stripe_customer"

    def test_a_sales_reps_key_and_a_read_only_key_get_nothing(self, api_for, sales_rep, owner, priced_plans, fake_stripe):
        assert api_for(sales_rep).get("/api/v1/billing/subscription/").status_code == 403
        response = api_for(owner, "read").post("/api/v1/billing/checkout/", {"plan": "pro", "interval": "month"},
                                               content_type="application/json")
        assert response.status_code == 403 and error_of(response)["code"] == "read_only_key"
        assert not fake_stripe.calls

    def test_anonymous_gets_401_or_403(self):
        assert Client(HTTP_HOST="acme.localhost").get("/api/v1/billing/subscription/").status_code in (401, 403)
