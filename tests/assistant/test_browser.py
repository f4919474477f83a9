"""The deal page's AI analysis card in a real browser, against the fake model server."""

import pytest
from playwright.sync_api import expect

from tests.assistant.test_deal_analysis import GOOD
from tests.browser.conftest import acme, browser, chromium_path, db_call, live_server_url  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def credits_restored(db_call):
    """The live server commits the AI credits it meters; take them back afterwards so
    that no other test sees this month's counter changed."""
    from django.db.models import F

    from billing.models import UsageCounter
    from billing.usage import month_start

    def used():
        row = UsageCounter.objects.filter(tenant__slug="acme", period=month_start()).first()
        return row.ai_credits_used if row else 0

    before = db_call(used)
    yield
    spent = db_call(used) - before
    if spent:
        db_call(lambda: UsageCounter.objects.filter(tenant__slug="acme", period=month_start())
                .update(ai_credits_used=F("ai_credits_used") - spent))


def test_analyse_a_deal_then_refresh_it(acme, db_call, fake_openai, credits_restored):  # noqa: F811
    from shared_apps.accounts.models import User
    from tenant_apps.deals.services import deal_create

    page, base, errors = acme

    def make():
        owner = User.objects.get(email="owner@acme.test")
        return deal_create(actor=owner, data={"title": "Website redesign", "amount": "1200"}).pk

    deal_id = db_call(make, "acme")
    fake_openai.json = GOOD
    page.goto(f"{base}/deals/{deal_id}/")
    card = page.locator("#deal-analysis")
    expect(card).to_contain_text("No analysis yet.")
    card.get_by_role("button", name="Analyse").click()
    expect(card).to_contain_text("Book a call with the CFO")
    expect(card).to_contain_text("68")
    fake_openai.json = {**GOOD, "health_score": 31, "next_best_actions": [{"action": "Send the revised offer", "why": ""}]}
    card.get_by_role("button", name="Refresh").click()
    expect(card).to_contain_text("Send the revised offer")
    assert errors == []
    assert len(fake_openai.requests) == 2


def test_the_button_is_disabled_with_the_reason(acme, db_call, no_ai):  # noqa: F811
    from shared_apps.accounts.models import User
    from tenant_apps.deals.services import deal_create

    page, base, errors = acme
    deal_id = db_call(lambda: deal_create(actor=User.objects.get(email="owner@acme.test"),
                                          data={"title": "Hosting"}).pk, "acme")
    page.goto(f"{base}/deals/{deal_id}/")
    button = page.locator("#deal-analysis").get_by_role("button", name="Analyse")
    expect(button).to_be_disabled()
    expect(page.locator("[data-assistant-unavailable]")).to_contain_text("AI is not configured")
