"""New workspaces start a 14-day Pro trial without a card; the sweep ends trials and
grace periods; the plan only ever changes through tenant_plan_set (audited)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from billing.models import BillingAccount, Plan
from billing.services import billing_sweep, tenant_plan_set
from shared_apps.audit.models import EventKind, SecurityEvent


@pytest.mark.django_db
def test_a_new_workspace_starts_a_pro_trial_without_a_card(tenant_a):
    account = BillingAccount.objects.select_related("tenant__plan").get(tenant=tenant_a)
    assert account.tenant.plan.code == "pro"
    assert account.status == "trialing" and account.stripe_subscription_id == ""
    assert timedelta(days=13) < account.trial_ends_at - account.created_at <= timedelta(days=14)


@pytest.mark.django_db
def test_a_workspace_given_a_plan_has_no_trial(owner):
    from tenants.services import tenant_provision

    tenant = tenant_provision(slug="given-plan", name="Given", owner=owner, plan=Plan.objects.get(code="basic"), method="clone")
    account = BillingAccount.objects.get(tenant=tenant)
    assert account.status == "active" and account.trial_ends_at is None


@pytest.mark.django_db
class TestSweep:
    def test_an_expired_trial_moves_to_free_and_keeps_everything(self, tenant_a):
        BillingAccount.objects.filter(tenant=tenant_a).update(trial_ends_at=timezone.now() - timedelta(minutes=1))
        assert billing_sweep() == {"trials_ended": 1, "grace_periods_ended": 0}
        account = BillingAccount.objects.select_related("tenant__plan").get(tenant=tenant_a)
        assert account.status == "free" and account.tenant.plan.code == "free"
        event = SecurityEvent.objects.get(kind=EventKind.PLAN_CHANGED, tenant=tenant_a)
        assert event.data == {"from_plan": "pro", "to_plan": "free", "reason": "trial_ended", "note": ""}
        # running again changes nothing
        assert billing_sweep() == {"trials_ended": 0, "grace_periods_ended": 0}

    def test_a_running_trial_is_left_alone(self, tenant_a):
        assert billing_sweep()["trials_ended"] == 0
        assert BillingAccount.objects.get(tenant=tenant_a).status == "trialing"

    def test_a_trial_with_a_stripe_subscription_is_stripes_to_end(self, tenant_a):
        BillingAccount.objects.filter(tenant=tenant_a).update(
            trial_ends_at=timezone.now() - timedelta(minutes=1), stripe_subscription_id="sub_x"
        )
        assert billing_sweep()["trials_ended"] == 0

    def test_the_grace_period_ends_on_free_but_keeps_the_subscription(self, tenant_a, settings):
        pro = Plan.objects.get(code="pro")
        BillingAccount.objects.filter(tenant=tenant_a).update(
            status="past_due", trial_ends_at=None, subscribed_plan=pro, stripe_subscription_id="sub_x",
            past_due_since=timezone.now() - timedelta(days=settings.BILLING_GRACE_DAYS, minutes=1),
        )
        assert billing_sweep()["grace_periods_ended"] == 1
        account = BillingAccount.objects.select_related("tenant__plan").get(tenant=tenant_a)
        assert account.tenant.plan.code == "free"
        assert account.status == "past_due" and account.subscribed_plan == pro

    def test_within_the_grace_period_the_plan_stays(self, tenant_a):
        BillingAccount.objects.filter(tenant=tenant_a).update(
            status="past_due", trial_ends_at=None, past_due_since=timezone.now() - timedelta(days=3)
        )
        assert billing_sweep()["grace_periods_ended"] == 0
        tenant_a.refresh_from_db()
        assert tenant_a.plan.code == "pro"

    def test_the_task_runs_the_sweep(self, tenant_a):
        from billing.tasks import billing_sweep_task

        BillingAccount.objects.filter(tenant=tenant_a).update(trial_ends_at=timezone.now() - timedelta(seconds=1))
        billing_sweep_task.delay()
        tenant_a.refresh_from_db()
        assert tenant_a.plan.code == "free"


@pytest.mark.django_db
def test_setting_the_same_plan_writes_nothing(tenant_a):
    tenant_plan_set(tenant=tenant_a, plan=tenant_a.plan, reason="test")
    assert not SecurityEvent.objects.filter(kind=EventKind.PLAN_CHANGED).exists()


@pytest.mark.django_db
def test_the_plan_change_reaches_the_next_request(tenant_a, owner, app_client):
    """The host cache holds the tenant row; a plan change must not be served stale."""
    from tests.helpers import sign_in

    sign_in(app_client, owner, tenant=tenant_a)
    assert app_client.get("/settings/billing/").status_code == 200  # caches acme's host
    tenant_plan_set(tenant=tenant_a, plan=Plan.objects.get(code="enterprise"), reason="test")
    response = app_client.get("/settings/billing/")
    assert response.context["panel"]["plan"].code == "enterprise"
