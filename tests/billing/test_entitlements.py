"""The entitlements service: features, limits at their edges, the errors it raises."""

import pytest
from django.db import connection, transaction
from django.utils import translation

from billing.entitlements import (
    entitlement_allows,
    entitlement_check,
    entitlement_consume,
    entitlement_remaining,
    entitlement_require,
    entitlement_status,
    usage_consume_ai_credits,
    usage_record_emails,
)
from billing.errors import EntitlementError, PlanFeatureUnavailable, PlanLimitReached
from billing.usage import usage_month, usage_seats


def test_features_follow_the_plan(tenant_a, on_plan):
    # given acme on Free (no features), then on Pro
    on_plan("free")
    # then nothing is allowed on Free
    assert not entitlement_allows(tenant_a, "api")
    with pytest.raises(PlanFeatureUnavailable) as refused:
        entitlement_require(tenant_a, "api")
    assert refused.value.code == "plan_feature_unavailable"
    assert refused.value.feature == "api"
    assert "Free" in str(refused.value.message) and "REST API access" in str(refused.value.message)
    assert refused.value.upgrade_url == "/settings/billing/"
    # and on Pro the API and campaigns are, SSO and white label are not
    on_plan("pro")
    assert entitlement_allows(tenant_a, "api") and entitlement_allows(tenant_a, "campaigns")
    entitlement_require(tenant_a, "portal")
    assert not entitlement_allows(tenant_a, "sso")
    assert not entitlement_allows(tenant_a, "white_label")
    on_plan("enterprise")
    assert all(entitlement_allows(tenant_a, f) for f in
               ("portal", "campaigns", "automation", "api", "custom_domains", "sso", "white_label"))


def test_an_unknown_feature_or_limit_is_a_programming_error(tenant_a):
    with pytest.raises(ValueError):
        entitlement_allows(tenant_a, "teleport")
    with pytest.raises(ValueError):
        entitlement_remaining(tenant_a, "parrots")


def test_contacts_at_the_limit_are_allowed_one_over_is_refused(tenant_a, in_acme, on_plan, add_contacts):
    # given a plan of 3 contacts and 2 contacts
    on_plan("free", max_contacts=3)
    add_contacts(2)
    # then one more fits (exactly at the limit), two do not
    assert entitlement_remaining(tenant_a, "contacts") == 1
    with transaction.atomic():
        assert entitlement_check(tenant_a, "contacts", 1) == 0
    with pytest.raises(PlanLimitReached) as refused:
        entitlement_check(tenant_a, "contacts", 2)
    assert refused.value.code == "plan_limit_reached"
    assert refused.value.limit == "contacts" and refused.value.allowed == 3 and refused.value.used == 2
    assert "The Free plan allows 3 contacts" in str(refused.value.message)
    # when the third is there: nothing more
    add_contacts(1)
    assert entitlement_remaining(tenant_a, "contacts") == 0
    with pytest.raises(PlanLimitReached):
        entitlement_check(tenant_a, "contacts", 1)
    # and amount 0 ("within the limit at all?") is still fine at the limit
    assert entitlement_check(tenant_a, "contacts", 0) == 0


def test_unlimited_plans_have_no_remaining_and_never_refuse(tenant_a, in_acme, on_plan, add_contacts):
    on_plan("enterprise")
    add_contacts(3)
    assert entitlement_remaining(tenant_a, "contacts") is None
    assert entitlement_check(tenant_a, "contacts", 10**9) is None
    assert entitlement_status(tenant_a, "contacts")["limit"] is None


def test_over_the_limit_after_a_downgrade_says_what_still_works(tenant_a, in_acme, on_plan, add_contacts):
    # given 5 contacts and then a downgrade to a plan of 3
    add_contacts(5)
    on_plan("free", max_contacts=3)
    # then nothing can be added, not even "zero more"
    with pytest.raises(PlanLimitReached) as refused:
        entitlement_check(tenant_a, "contacts", 0)
    message = str(refused.value.message)
    assert "has 5 contacts" in message and "allows 3" in message and "exported and deleted" in message
    status = entitlement_status(tenant_a, "contacts")
    assert status["over"] and status["full"] and status["remaining"] == 0 and status["used"] == 5


def test_messages_are_in_the_users_language(tenant_a, in_acme, on_plan, add_contacts):
    on_plan("free", max_contacts=1000)
    add_contacts(1)
    from billing.entitlements import limit_error

    with translation.override("bg"):
        message = str(limit_error(tenant_a.plan, "contacts", used=1000).message)
        feature = None
        try:
            entitlement_require(tenant_a, "sso")
        except PlanFeatureUnavailable as exc:
            feature = str(exc.message)
    assert "1 000" in message or "1\xa0000" in message or "1000" in message
    assert "контакт" in message and "Безплатен" in message
    assert "Безплатен" in feature


def test_seats_count_members_and_open_invitations(tenant_a, on_plan, owner):
    from django.utils import timezone

    from shared_apps.accounts.models import Invitation

    # given acme's 4 members, one open invitation, one withdrawn and one expired
    now = timezone.now()
    Invitation.objects.create(tenant=tenant_a, email="a@example.com", role="sales", token_hash="a" * 64,
                              expires_at=now + timezone.timedelta(days=3))
    Invitation.objects.create(tenant=tenant_a, email="b@example.com", role="sales", token_hash="b" * 64,
                              expires_at=now + timezone.timedelta(days=3), revoked_at=now)
    Invitation.objects.create(tenant=tenant_a, email="c@example.com", role="sales", token_hash="c" * 64,
                              expires_at=now - timezone.timedelta(days=1))
    # then 5 seats are taken
    assert usage_seats(tenant_a) == 5
    on_plan("free", max_seats=5)
    assert entitlement_remaining(tenant_a, "seats") == 0
    with pytest.raises(PlanLimitReached):
        entitlement_check(tenant_a, "seats", 1)


def test_monthly_counters_take_all_or_nothing(tenant_a, on_plan):
    # given a plan of 10 e-mails and 5 AI credits a month
    on_plan("free", max_emails_per_month=10, ai_credits_per_month=5)
    start = usage_month(tenant_a)
    assert start == {"emails": 0, "ai_credits": 0}
    # when 9 and then 1 e-mails are recorded: exactly at the limit
    assert usage_record_emails(tenant=tenant_a, n=9) == 9
    assert usage_record_emails(tenant=tenant_a, n=1) == 10
    # then one more is refused and nothing is added
    with pytest.raises(PlanLimitReached) as refused:
        usage_record_emails(tenant=tenant_a, n=1)
    assert refused.value.limit == "emails"
    assert usage_month(tenant_a)["emails"] == 10
    # AI credits: a batch that does not fit is refused as a whole
    assert usage_consume_ai_credits(tenant=tenant_a, n=3) == 3
    with pytest.raises(PlanLimitReached):
        usage_consume_ai_credits(tenant=tenant_a, n=3)
    assert usage_consume_ai_credits(tenant=tenant_a, n=2) == 5
    assert usage_month(tenant_a) == {"emails": 10, "ai_credits": 5}
    # and a batch larger than the whole limit is refused before touching the counter
    with pytest.raises(PlanLimitReached):
        entitlement_consume(tenant_a, "ai_credits", 6)


def test_platform_mail_is_counted_but_never_refused(tenant_a, on_plan):
    on_plan("free", max_emails_per_month=1)
    usage_record_emails(tenant=tenant_a, n=1)
    assert usage_record_emails(tenant=tenant_a, n=2, enforce=False) == 3
    with pytest.raises(PlanLimitReached):
        usage_record_emails(tenant=tenant_a, n=1)


def test_counters_are_per_month(tenant_a, on_plan):
    from datetime import date

    from billing.models import UsageCounter

    on_plan("free", max_emails_per_month=5)
    UsageCounter.objects.create(tenant=tenant_a, period=date(2020, 1, 1), emails_sent=5)
    assert usage_record_emails(tenant=tenant_a, n=5) == 5


def test_a_rolled_back_send_is_not_counted(tenant_a, on_plan):
    on_plan("free", max_emails_per_month=5)
    with pytest.raises(RuntimeError), transaction.atomic():
        usage_record_emails(tenant=tenant_a, n=4)
        raise RuntimeError
    assert usage_month(tenant_a)["emails"] == 0


def test_emails_written_to_the_outbox_in_a_workspace_count(tenant_a, in_acme, on_plan, mailbox):
    from django.core.mail import EmailMessage

    on_plan("free")
    connection.set_tenant(tenant_a)
    EmailMessage("Hello", "Body", to=["someone@example.com"]).send()
    EmailMessage("Hello", "Body", to=["someone@example.com", "other@example.com"]).send()
    # then one per recipient
    assert usage_month(tenant_a)["emails"] == 3
    # mail the platform sends from the public schema is nobody's
    connection.set_schema_to_public()
    EmailMessage("Welcome", "Body", to=["new@example.com"]).send()
    assert usage_month(tenant_a)["emails"] == 3
    # and mail its sender counted already is not counted twice
    connection.set_tenant(tenant_a)
    usage_record_emails(tenant=tenant_a, n=1)
    message = EmailMessage("Campaign", "Body", to=["c@example.com"])
    message.usage_counted = True
    message.send()
    assert usage_month(tenant_a)["emails"] == 4
    assert len(mailbox()) == 4


def test_entitlement_errors_are_user_facing(tenant_a, on_plan):
    from config.errors import UserFacingError

    on_plan("free", ai_credits_per_month=0)
    with pytest.raises(EntitlementError) as refused:
        usage_consume_ai_credits(tenant=tenant_a, n=1)
    assert isinstance(refused.value, UserFacingError)
    assert "0 AI credits" in str(refused.value.message)
