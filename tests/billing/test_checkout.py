"""The billing page, Checkout and the Billing Portal: owners and admins of the workspace
only, and the real stripe SDK talking to the local fake Stripe."""

import pytest
from django.test import Client

from billing.models import BillingAccount
from tests.helpers import sign_in


def _client(user, tenant):
    client = Client(HTTP_HOST=f"{tenant.slug}.localhost")
    sign_in(client, user, tenant=tenant)
    return client


@pytest.mark.django_db
class TestBillingPage:
    def test_the_owner_sees_the_trial_and_the_plans_for_sale(self, priced_plans, owner, tenant_a):
        response = _client(owner, tenant_a).get("/settings/billing/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Trial ends" in html
        assert "Choose Basic" in html and "Choose Enterprise" in html
        assert 'name="interval" value="year"' in html

    def test_bulgarian(self, priced_plans, owner, tenant_a):
        client = _client(owner, tenant_a)
        response = client.get("/settings/billing/", HTTP_ACCEPT_LANGUAGE="bg")
        html = response.content.decode()
        assert "Абонамент" in html and "Пробният период изтича" in html

    def test_past_due_shows_the_warning_and_the_banner(
        self, priced_plans, owner, sales_rep, tenant_a, django_capture_on_commit_callbacks
    ):
        from django.utils import timezone

        from billing.services import billing_banner_publish

        account = BillingAccount.objects.get(tenant=tenant_a)
        account.status, account.past_due_since, account.trial_ends_at = "past_due", timezone.now(), None
        account.stripe_customer_id, account.stripe_subscription_id = "cus_x", "sub_x"
        account.save()
        with django_capture_on_commit_callbacks(execute=True):
            billing_banner_publish(account)
        html = _client(owner, tenant_a).get("/").content.decode()
        assert "The last payment for this workspace failed" in html
        assert "The last payment failed" in _client(owner, tenant_a).get("/settings/billing/").content.decode()
        # a sales rep is not bothered with the card
        assert "The last payment for this workspace failed" not in _client(sales_rep, tenant_a).get("/").content.decode()


@pytest.mark.django_db
class TestCheckout:
    def test_choosing_a_plan_redirects_to_stripe_checkout(self, priced_plans, fake_stripe, admin, tenant_a):
        response = _client(admin, tenant_a).post("/settings/billing/checkout/", {"plan": "basic", "interval": "year"})
        assert response.status_code == 302
        assert response["Location"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
        [customer] = fake_stripe.posted("/v1/customers")
        assert customer["metadata[djstripe_subscriber]"] == str(tenant_a.pk)
        [session] = fake_stripe.posted("/v1/checkout/sessions")
        assert session["mode"] == "subscription"
        assert session["line_items[0][price]"] == "price_basic_year"
        assert session["client_reference_id"] == str(tenant_a.pk)
        assert session["success_url"].startswith("http://acme.localhost/settings/billing/?checkout=done")
        # subscribing during the trial keeps its days: Stripe charges when it ends
        trial_ends_at = BillingAccount.objects.get(tenant=tenant_a).trial_ends_at
        assert session["subscription_data[trial_end]"] == str(int(trial_ends_at.timestamp()))
        assert session["subscription_data[metadata][tenant_id]"] == str(tenant_a.pk)
        account = BillingAccount.objects.get(tenant=tenant_a)
        assert account.stripe_customer_id.startswith("cus_")
        # the customer is made once
        _client(admin, tenant_a).post("/settings/billing/checkout/", {"plan": "pro", "interval": "month"})
        assert len(fake_stripe.posted("/v1/customers")) == 1

    def test_with_a_running_subscription_the_change_goes_through_the_portal(
        self, priced_plans, fake_stripe, subscribed, deliver, owner, tenant_a
    ):
        from tests.billing.conftest import event

        subscription = subscribed(plan="basic")
        deliver(event("customer.subscription.created", subscription))
        response = _client(owner, tenant_a).post("/settings/billing/checkout/", {"plan": "pro", "interval": "month"})
        assert response["Location"].startswith("https://billing.stripe.com/p/session/")
        [portal] = fake_stripe.posted("/v1/billing_portal/sessions")
        assert portal["flow_data[type]"] == "subscription_update_confirm"
        assert portal["flow_data[subscription_update_confirm][subscription]"] == subscription["id"]
        assert portal["flow_data[subscription_update_confirm][items][0][price]"] == "price_pro_month"
        assert not fake_stripe.posted("/v1/checkout/sessions")
        assert BillingAccount.objects.get(tenant=tenant_a).tenant.plan.code == "basic", "the webhook changes the plan"

    def test_the_completed_checkout_webhook_starts_the_subscription(self, priced_plans, fake_stripe, deliver, owner, tenant_a):
        from tests.billing.conftest import event

        _client(owner, tenant_a).post("/settings/billing/checkout/", {"plan": "enterprise", "interval": "month"})
        session = next(obj for key, obj in fake_stripe.objects.items() if key.startswith("cs_"))
        subscription = fake_stripe.subscription(customer=session["customer"], price=fake_stripe.get("price_enterprise_month"))
        completed = dict(session, status="complete", payment_status="paid", subscription=subscription["id"])
        fake_stripe.put(completed)
        assert deliver(event("checkout.session.completed", completed)).status_code == 200
        account = BillingAccount.objects.select_related("tenant__plan").get(tenant=tenant_a)
        assert account.status == "active" and account.trial_ends_at is None
        assert account.tenant.plan.code == "enterprise"
        assert account.stripe_subscription_id == subscription["id"]

    @pytest.mark.parametrize("data", [{"plan": "free", "interval": "month"}, {"plan": "pro", "interval": "weekly"}, {}])
    def test_bad_choices_get_a_clear_message_and_no_stripe_call(self, priced_plans, fake_stripe, owner, tenant_a, data):
        response = _client(owner, tenant_a).post("/settings/billing/checkout/", data, follow=True)
        assert response.status_code == 200
        assert "Choose one of the plans shown." in response.content.decode()
        assert not fake_stripe.posted("/v1/checkout/sessions")

    def test_a_trial_ending_within_two_days_is_not_carried_over(self, priced_plans, fake_stripe, owner, tenant_a):
        from datetime import timedelta

        from django.utils import timezone

        BillingAccount.objects.filter(tenant=tenant_a).update(trial_ends_at=timezone.now() + timedelta(hours=20))
        _client(owner, tenant_a).post("/settings/billing/checkout/", {"plan": "pro", "interval": "month"})
        [session] = fake_stripe.posted("/v1/checkout/sessions")
        assert "subscription_data[trial_end]" not in session

    def test_a_subscription_in_stripes_trial_keeps_the_workspace_trialing(
        self, priced_plans, fake_stripe, subscribed, deliver, tenant_a
    ):
        import time

        from tests.billing.conftest import event

        subscription = dict(subscribed(plan="pro"), status="trialing", trial_end=int(time.time()) + 5 * 86400)
        fake_stripe.put(subscription)
        deliver(event("customer.subscription.created", subscription))
        account = BillingAccount.objects.select_related("tenant__plan").get(tenant=tenant_a)
        assert account.status == "trialing" and account.stripe_subscription_id == subscription["id"]
        assert int(account.trial_ends_at.timestamp()) == subscription["trial_end"]
        assert account.tenant.plan.code == "pro"

    def test_a_plan_without_a_stripe_price_is_not_sold(self, priced_plans, fake_stripe, owner, tenant_a):
        from billing.models import Plan

        Plan.objects.filter(code="basic").update(stripe_price_yearly="")
        response = _client(owner, tenant_a).post("/settings/billing/checkout/", {"plan": "basic", "interval": "year"}, follow=True)
        assert "This plan cannot be bought online" in response.content.decode()
        assert not fake_stripe.posted("/v1/checkout/sessions")

    def test_stripe_down_is_a_clear_message_not_a_500(self, priced_plans, fake_stripe, owner, tenant_a, settings):
        import stripe

        stripe.api_base = "http://127.0.0.1:9"  # nothing listens there
        response = _client(owner, tenant_a).post("/settings/billing/checkout/", {"plan": "pro", "interval": "month"}, follow=True)
        assert response.status_code == 200
        assert "The payment provider could not be reached" in response.content.decode()


@pytest.mark.django_db
class TestPortal:
    def test_the_portal_opens_for_a_customer(self, priced_plans, fake_stripe, subscribed, owner, tenant_a):
        subscribed(plan="pro")
        response = _client(owner, tenant_a).post("/settings/billing/portal/")
        assert response["Location"].startswith("https://billing.stripe.com/p/session/")
        [portal] = fake_stripe.posted("/v1/billing_portal/sessions")
        assert portal["return_url"] == "http://acme.localhost/settings/billing/"
        assert "flow_data[type]" not in portal

    def test_without_a_customer_there_is_nothing_to_manage(self, fake_stripe, owner, tenant_a):
        response = _client(owner, tenant_a).post("/settings/billing/portal/", follow=True)
        assert "no subscription to manage yet" in response.content.decode()
        assert not fake_stripe.posted("/v1/billing_portal/sessions")


@pytest.mark.django_db
@pytest.mark.parametrize("url, method", [
    ("/settings/billing/", "get"), ("/settings/billing/checkout/", "post"), ("/settings/billing/portal/", "post"),
])
class TestWhoGetsIn:
    def test_sales_rep_and_read_only_get_403_and_stripe_is_not_called(
        self, url, method, priced_plans, fake_stripe, subscribed, sales_rep, read_only, tenant_a
    ):
        subscribed()
        for user in (sales_rep, read_only):
            response = getattr(_client(user, tenant_a), method)(url, {"plan": "pro", "interval": "month"})
            assert response.status_code == 403
        assert not [c for c in fake_stripe.calls if c[0] == "POST"]

    def test_another_workspaces_owner_gets_nothing(self, url, method, priced_plans, fake_stripe, outsider, tenant_a, tenant_b):
        theirs = _client(outsider, tenant_b)
        replayed = Client(HTTP_HOST="acme.localhost")
        replayed.cookies.update(theirs.cookies)
        response = getattr(replayed, method)(url, {"plan": "pro", "interval": "month"})
        assert response.status_code in (302, 403, 404)
        assert not [c for c in fake_stripe.calls if c[0] == "POST"]

    def test_anonymous_is_sent_to_sign_in(self, url, method, fake_stripe):
        response = getattr(Client(HTTP_HOST="acme.localhost"), method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
class TestOnePayablePage:
    """Until the webhook says a subscription runs, a workspace has at most one Checkout page
    that can be paid: two pages could start two subscriptions and charge twice."""

    def test_choosing_the_same_plan_again_reuses_the_open_page(self, priced_plans, fake_stripe, owner, tenant_a):
        client = _client(owner, tenant_a)
        first = client.post("/settings/billing/checkout/", {"plan": "pro", "interval": "month"})["Location"]
        second = client.post("/settings/billing/checkout/", {"plan": "pro", "interval": "month"})["Location"]
        assert first == second
        [session] = fake_stripe.posted("/v1/checkout/sessions")
        assert 29 * 60 <= int(session["expires_at"]) - int(__import__("time").time()) <= 30 * 60

    def test_choosing_another_plan_closes_the_open_page_first(self, priced_plans, fake_stripe, owner, tenant_a):
        client = _client(owner, tenant_a)
        first = client.post("/settings/billing/checkout/", {"plan": "pro", "interval": "month"})["Location"]
        second = client.post("/settings/billing/checkout/", {"plan": "basic", "interval": "month"})["Location"]
        assert first != second
        first_id, second_id = first.rsplit("/", 1)[-1], second.rsplit("/", 1)[-1]
        assert fake_stripe.get(first_id)["status"] == "expired"
        assert fake_stripe.get(second_id)["status"] == "open"
        assert len(fake_stripe.posted("/v1/checkout/sessions")) == 2

    def test_a_page_paid_meanwhile_starts_nothing_new(self, priced_plans, fake_stripe, owner, tenant_a):
        client = _client(owner, tenant_a)
        first = client.post("/settings/billing/checkout/", {"plan": "pro", "interval": "month"})["Location"]
        paid = fake_stripe.get(first.rsplit("/", 1)[-1])
        fake_stripe.put(dict(paid, status="complete", payment_status="paid"))
        page = client.post("/settings/billing/checkout/", {"plan": "basic", "interval": "month"}, follow=True)
        assert page.status_code == 200 and "just paid for on another Checkout page" in page.content.decode()
        assert len(fake_stripe.posted("/v1/checkout/sessions")) == 1
        api = client.post("/api/v1/billing/checkout/", {"plan": "basic", "interval": "month"},
                          content_type="application/json")
        assert api.status_code == 409 and api.json()["error"]["code"] == "checkout_pending"
        assert len(fake_stripe.posted("/v1/checkout/sessions")) == 1
