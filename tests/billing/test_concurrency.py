"""Two webhooks for one subscription delivered at the same moment, in real concurrent
transactions against PostgreSQL: they apply one after the other and end consistent."""

import json
import threading
import time

from django.db import close_old_connections, connection
from django.test import Client


def test_two_concurrent_webhooks_for_one_subscription_end_consistent(
    django_db_setup, django_db_blocker, _fake_stripe_server, settings
):
    import stripe

    from billing.models import BillingAccount, Plan
    from djstripe.models import Event, WebhookEndpoint
    from shared_apps.accounts.models import User
    from shared_apps.audit.models import EventKind, SecurityEvent
    from tenants.models import Tenant
    from tenants.services import tenant_delete, tenant_provision
    from tests.billing.conftest import WEBHOOK_SECRET, event, sign
    from tests.helpers import make_user

    fake = _fake_stripe_server
    fake.reset()
    previous_base = stripe.api_base
    stripe.api_base = fake.url
    settings.STRIPE_SECRET_KEY = settings.STRIPE_TEST_SECRET_KEY = "sk_test_51TesseraFakeKey0123456789"
    with django_db_blocker.unblock():
        owner = make_user("owner@race-billing.test")
        tenant = tenant_provision(slug="billing-race", name="Race", owner=owner, method="clone")
        connection.set_schema_to_public()
        endpoint = WebhookEndpoint.objects.create(
            id="we_race", secret=WEBHOOK_SECRET, livemode=False, enabled_events=["*"], status="enabled",
            url="http://localhost/stripe/webhook/", api_version="2026-05-27.dahlia",
        )
        product = fake.product()
        basic = fake.price(price_id="price_race_basic", amount=1200, product=product)
        enterprise = fake.price(price_id="price_race_enterprise", amount=7900, product=product)
        Plan.objects.filter(code="basic").update(stripe_price_monthly=basic["id"])
        Plan.objects.filter(code="enterprise").update(stripe_price_monthly=enterprise["id"])
        customer = fake.customer(metadata={"djstripe_subscriber": str(tenant.pk)})
        BillingAccount.objects.filter(tenant=tenant).update(stripe_customer_id=customer["id"])
        subscription = fake.subscription(customer=customer["id"], price=basic)
        newer = json.loads(json.dumps(subscription))
        newer["items"]["data"][0]["price"] = enterprise
        fake.put(newer)
        now = int(time.time())
        payloads = [
            event("customer.subscription.created", subscription, created=now - 5),
            event("customer.subscription.updated", newer, created=now),
        ]
        barrier, statuses = threading.Barrier(2), []

        def post(payload):
            try:
                body = json.dumps(payload)
                barrier.wait()
                response = Client(HTTP_HOST="localhost").post(
                    f"/stripe/webhook/{endpoint.djstripe_uuid}/", data=body, content_type="application/json",
                    HTTP_STRIPE_SIGNATURE=sign(body),
                )
                statuses.append(response.status_code)
            finally:
                close_old_connections()
                connection.close()

        threads = [threading.Thread(target=post, args=(p,)) for p in payloads]
        try:
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            assert statuses == [200, 200]
            account = BillingAccount.objects.select_related("tenant__plan").get(tenant=tenant)
            # whichever arrived first, the newer state wins and nothing is applied twice
            assert account.tenant.plan.code == "enterprise"
            assert account.status == "active"
            assert account.last_event_id == payloads[1]["id"]
            assert Event.objects.filter(id__in=[p["id"] for p in payloads]).count() == 2
            assert SecurityEvent.objects.filter(kind=EventKind.PLAN_CHANGED, tenant=tenant).count() <= 2
        finally:
            stripe.api_base = previous_base
            connection.set_schema_to_public()
            Event.objects.filter(id__in=[p["id"] for p in payloads]).delete()
            from djstripe.models import Customer, Price, Product, Subscription, WebhookEventTrigger

            WebhookEventTrigger.objects.filter(webhook_endpoint=endpoint).delete()
            Subscription.objects.filter(id=subscription["id"]).delete()
            Customer.objects.filter(id=customer["id"]).delete()
            Price.objects.filter(id__in=[basic["id"], enterprise["id"]]).delete()
            Product.objects.filter(id=product["id"]).delete()
            endpoint.delete()
            Plan.objects.filter(code__in=["basic", "enterprise"]).update(stripe_price_monthly="")
            tenant_delete(tenant=Tenant.objects.get(slug="billing-race"), backup=False)
            User.objects.filter(email__endswith="@race-billing.test").delete()
