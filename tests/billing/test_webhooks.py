"""Stripe webhooks: signatures, idempotency, ordering, and the workspace following its
subscription (active, past_due with a grace period, canceled → Free)."""

import copy
import time

import pytest

from billing.models import BillingAccount
from shared_apps.audit.models import EventKind, SecurityEvent
from tests.billing.conftest import event


def _account(tenant):
    return BillingAccount.objects.select_related("tenant__plan").get(tenant=tenant)


@pytest.mark.django_db
class TestFollowingTheSubscription:
    def test_a_new_active_subscription_puts_the_workspace_on_its_plan(self, deliver, subscribed, tenant_a):
        # given
        subscription = subscribed(plan="enterprise", interval="year")
        # when
        response = deliver(event("customer.subscription.created", subscription))
        # then
        assert response.status_code == 200, response.content
        account = _account(tenant_a)
        assert account.status == "active"
        assert account.tenant.plan.code == "enterprise"
        assert account.interval == "year"
        assert account.stripe_subscription_id == subscription["id"]
        assert account.current_period_end is not None
        change = SecurityEvent.objects.get(kind=EventKind.PLAN_CHANGED, tenant=tenant_a)
        assert change.data["to_plan"] == "enterprise" and change.data["reason"] == "subscription_active"

    def test_downgrade_keeps_every_record_and_only_changes_the_plan(self, deliver, subscribed, tenant_a, fake_stripe):
        subscription = subscribed(plan="enterprise")
        deliver(event("customer.subscription.created", subscription, created=int(time.time()) - 10))
        downgraded = copy.deepcopy(subscription)
        downgraded["items"]["data"][0]["price"] = fake_stripe.get("price_basic_month")
        fake_stripe.put(downgraded)
        deliver(event("customer.subscription.updated", downgraded))
        account = _account(tenant_a)
        assert account.tenant.plan.code == "basic"
        assert account.status == "active"

    def test_failed_payment_past_due_then_canceled_ends_on_free(self, deliver, subscribed, tenant_a, fake_stripe):
        now = int(time.time())
        subscription = subscribed(plan="pro")
        deliver(event("customer.subscription.created", subscription, created=now - 30))
        invoice = fake_stripe.invoice(customer=subscription["customer"], subscription=subscription["id"])
        deliver(event("invoice.payment_failed", invoice, created=now - 20))
        account = _account(tenant_a)
        assert account.status == "past_due" and account.past_due_since is not None
        assert account.tenant.plan.code == "pro", "the plan is kept through the grace period"
        past_due = dict(subscription, status="past_due")
        fake_stripe.put(past_due)
        deliver(event("customer.subscription.updated", past_due, created=now - 10))
        assert _account(tenant_a).status == "past_due"
        canceled = dict(subscription, status="canceled", canceled_at=now - 1, ended_at=now - 1)
        fake_stripe.put(canceled)
        deliver(event("customer.subscription.deleted", canceled, created=now))
        account = _account(tenant_a)
        assert account.status == "canceled"
        assert account.tenant.plan.code == "free"
        assert account.canceled_at is not None

    def test_a_paid_invoice_ends_the_past_due_state(self, deliver, subscribed, tenant_a, fake_stripe):
        now = int(time.time())
        subscription = subscribed(plan="pro")
        deliver(event("customer.subscription.created", subscription, created=now - 30))
        failed = fake_stripe.invoice(customer=subscription["customer"], subscription=subscription["id"])
        deliver(event("invoice.payment_failed", failed, created=now - 20))
        paid = fake_stripe.invoice(customer=subscription["customer"], subscription=subscription["id"], paid=True)
        deliver(event("invoice.paid", paid, created=now - 10))
        account = _account(tenant_a)
        assert account.status == "active" and account.past_due_since is None
        assert account.tenant.plan.code == "pro"


@pytest.mark.django_db
class TestIdempotencyAndOrder:
    def test_a_replayed_event_changes_nothing_twice(self, deliver, subscribed, tenant_a):
        subscription = subscribed(plan="basic")
        payload = event("customer.subscription.created", subscription)
        assert deliver(payload).status_code == 200
        assert deliver(payload).status_code == 200
        assert SecurityEvent.objects.filter(kind=EventKind.PLAN_CHANGED, tenant=tenant_a).count() == 1
        assert _account(tenant_a).tenant.plan.code == "basic"

    def test_an_older_event_arriving_late_is_ignored(self, deliver, subscribed, tenant_a, fake_stripe):
        now = int(time.time())
        subscription = subscribed(plan="pro")
        canceled = dict(subscription, status="canceled", canceled_at=now, ended_at=now)
        fake_stripe.put(canceled)
        deliver(event("customer.subscription.deleted", canceled, created=now))
        # the "active" event from before the cancellation is delivered after it
        response = deliver(event("customer.subscription.updated", dict(subscription, status="active"), created=now - 60))
        assert response.status_code == 200
        account = _account(tenant_a)
        assert account.status == "canceled"
        assert account.tenant.plan.code == "free"


@pytest.mark.django_db
class TestSignatures:
    def _before(self, tenant):
        return (_account(tenant).status, _account(tenant).tenant.plan_id)

    def test_a_forged_signature_is_rejected_and_changes_nothing(self, deliver, subscribed, tenant_a):
        before = self._before(tenant_a)
        response = deliver(event("customer.subscription.created", subscribed(plan="enterprise")), secret="whsec_forged")
        assert response.status_code == 400
        assert self._before(tenant_a) == before

    def test_a_stale_timestamp_is_rejected_and_changes_nothing(self, deliver, subscribed, tenant_a):
        before = self._before(tenant_a)
        payload = event("customer.subscription.created", subscribed(plan="enterprise"))
        response = deliver(payload, timestamp=int(time.time()) - 3600)
        assert response.status_code == 400
        assert self._before(tenant_a) == before

    def test_a_missing_signature_is_rejected(self, deliver, subscribed, tenant_a):
        from django.test import Client

        before = self._before(tenant_a)
        response = Client(HTTP_HOST="localhost").post(
            "/stripe/webhook/00000000-0000-0000-0000-000000000000/", data="{}",
            content_type="application/json",
        )
        assert response.status_code == 400
        assert self._before(tenant_a) == before

    def test_the_webhook_is_not_served_on_a_workspace_host(self, deliver, subscribed, tenant_a):
        from django.test import Client

        response = deliver(event("customer.subscription.created", subscribed()), client=Client(HTTP_HOST="acme.localhost"))
        assert response.status_code == 404


@pytest.mark.django_db
def test_the_endpoint_command_registers_the_secret_and_prints_the_url():
    from io import StringIO

    from django.core.management import CommandError, call_command
    from djstripe.models import WebhookEndpoint

    out = StringIO()
    call_command("billing_webhook_endpoint", stripe_id="we_cmd", secret="whsec_cmd_secret", stdout=out)
    endpoint = WebhookEndpoint.objects.get(id="we_cmd")
    assert endpoint.secret == "whsec_cmd_secret"
    assert out.getvalue().strip() == f"http://localhost/stripe/webhook/{endpoint.djstripe_uuid}/"
    call_command("billing_webhook_endpoint", stripe_id="we_cmd", secret="whsec_rotated", stdout=StringIO())
    endpoint.refresh_from_db()
    assert endpoint.secret == "whsec_rotated" and WebhookEndpoint.objects.filter(id="we_cmd").count() == 1
    with pytest.raises(CommandError):
        call_command("billing_webhook_endpoint", stripe_id="we_cmd", secret="not-a-secret")
