"""The console's billing: numbers, plan editing and the manual plan override."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from billing.models import BillingAccount, Plan
from shared_apps.audit.models import EventKind, SecurityEvent
from tests.helpers import sign_in


@pytest.fixture
def console(platform_staff):
    client = Client(HTTP_HOST="localhost")
    sign_in(client, platform_staff, otp_device=TOTPDevice.objects.get(user=platform_staff))
    return client


@pytest.mark.django_db
class TestBillingOverview:
    def test_mrr_distribution_trials_failed_payments_and_churn(self, console, tenant_a, tenant_b):
        pro, enterprise = Plan.objects.get(code="pro"), Plan.objects.get(code="enterprise")
        # acme pays Enterprise yearly (790/12), globex canceled Pro 3 days ago
        BillingAccount.objects.filter(tenant=tenant_a).update(
            status="active", subscribed_plan=enterprise, interval="year", stripe_subscription_id="sub_a", trial_ends_at=None
        )
        BillingAccount.objects.filter(tenant=tenant_b).update(
            status="canceled", subscribed_plan=pro, canceled_at=timezone.now() - timedelta(days=3), trial_ends_at=None
        )
        response = console.get("/console/billing/")
        assert response.status_code == 200
        assert response.context["mrr"] == [("EUR", Decimal("65.83"))]
        assert response.context["churn_count"] == 1 and response.context["churn_rate"] == Decimal("50.0")
        html = response.content.decode()
        assert "65.83 EUR" in html and "Globex" in html

    def test_trials_ending_and_failed_payments(self, console, tenant_a, tenant_b):
        BillingAccount.objects.filter(tenant=tenant_a).update(trial_ends_at=timezone.now() + timedelta(days=2))
        BillingAccount.objects.filter(tenant=tenant_b).update(
            status="past_due", past_due_since=timezone.now(), trial_ends_at=None, stripe_subscription_id="sub_b"
        )
        context = console.get("/console/billing/").context
        assert [a.tenant.slug for a in context["trials_ending"]] == ["acme"]
        assert [a.tenant.slug for a in context["failed_payments"]] == ["globex"]

    def test_bulgarian(self, console):
        html = console.get("/console/billing/", HTTP_ACCEPT_LANGUAGE="bg").content.decode()
        assert "Месечни повтарящи се приходи" in html


@pytest.mark.django_db
class TestPlans:
    def test_list_and_edit_prices_limits_and_features(self, console, platform_staff):
        assert "Enterprise" in console.get("/console/plans/").content.decode()
        data = {
            "name": "Basic", "tagline": "Small teams", "currency": "eur", "price_monthly": "15.00", "price_yearly": "150.00",
            "stripe_price_monthly": "price_1BasicM", "stripe_price_yearly": "price_1BasicY", "max_seats": "6",
            "max_contacts": "12000", "max_storage_mb": "5000", "max_emails_per_month": "5000",
            "ai_credits_per_month": "500", "features": ["portal", "api", "automation"], "is_public": "on", "sort_order": "10",
        }
        response = console.post("/console/plans/basic/", data)
        assert response.status_code == 302
        basic = Plan.objects.get(code="basic")
        assert basic.price_monthly == Decimal("15.00") and basic.currency == "EUR"
        assert basic.stripe_price_yearly == "price_1BasicY" and basic.max_seats == 6
        assert basic.features == ["portal", "api", "automation"]
        event = SecurityEvent.objects.get(kind=EventKind.PLAN_EDITED)
        assert event.actor == platform_staff and "price_monthly" in event.data["fields"]

    def test_bad_input_is_refused_with_messages_and_nothing_changes(self, console):
        response = console.post("/console/plans/basic/", {
            "name": "Basic", "currency": "E1", "price_monthly": "-1", "price_yearly": "x",
            "stripe_price_monthly": "prod_123", "sort_order": "10",
        })
        assert response.status_code == 200
        html = response.content.decode()
        assert "three-letter ISO currency code" in html and "starts with “price_”" in html
        assert Plan.objects.get(code="basic").price_monthly == Decimal("12.00")

    def test_unknown_plan_is_404(self, console):
        assert console.get("/console/plans/platinum/").status_code == 404


@pytest.mark.django_db
class TestOverride:
    def test_a_manual_override_goes_through_the_service_and_the_audit_log(self, console, tenant_a, platform_staff):
        response = console.post("/console/tenants/acme/plan/", {"plan": "enterprise", "note": "partner deal"})
        assert response.status_code == 302
        account = BillingAccount.objects.select_related("tenant__plan").get(tenant=tenant_a)
        assert account.tenant.plan.code == "enterprise"
        assert account.status == "active" and account.trial_ends_at is None
        event = SecurityEvent.objects.get(kind=EventKind.PLAN_CHANGED, tenant=tenant_a)
        assert event.actor == platform_staff
        assert event.data["reason"] == "manual_override" and event.data["note"] == "partner deal"
        assert "Set the plan by hand" in console.get("/console/tenants/acme/").content.decode()

    def test_an_override_without_a_reason_changes_nothing(self, console, tenant_a):
        response = console.post("/console/tenants/acme/plan/", {"plan": "enterprise"}, follow=True)
        assert "say why" in response.content.decode()
        tenant_a.refresh_from_db()
        assert tenant_a.plan.code == "pro"
