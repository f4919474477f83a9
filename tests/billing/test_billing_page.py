"""Settings → Plan and billing: the plan, usage bars against its limits, its features;
owners and admins of the workspace only."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from billing.entitlements import usage_consume_ai_credits, usage_record_emails
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db
URL = "/settings/billing/"


def _usage(page: str, key: str) -> str:
    start = page.index(f'data-limit="{key}"')
    return page[start:page.index("</div>\n  ", start + 1) + 200]


def test_the_page_shows_plan_usage_and_features(client_for, owner, on_plan, add_contacts, tenant_a, media):
    # given Free with some usage of everything
    on_plan("free")
    add_contacts(3)
    usage_record_emails(tenant=tenant_a, n=12)
    usage_consume_ai_credits(tenant=tenant_a, n=7)
    # when the owner opens the page
    response = client_for(owner).get(URL)
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-plan="free"' in page and "Free" in page
    assert 'aria-current="page"' in page and "Plan and billing" in page  # its tab in the settings
    usage = {row["key"]: row for row in response.context["usage"]}
    assert (usage["seats"]["used"], usage["seats"]["limit"]) == (4, 2)
    assert usage["seats"]["over"] and usage["seats"]["percent"] == 100
    assert (usage["contacts"]["used"], usage["contacts"]["limit"]) == (3, 1000)
    assert (usage["emails"]["used"], usage["emails"]["limit"]) == (12, 500)
    assert (usage["ai_credits"]["used"], usage["ai_credits"]["limit"]) == (7, 50)
    assert (usage["storage"]["used"], usage["storage"]["limit"]) == (0, 500)
    assert "Over the limit" in _usage(page, "seats")
    assert '<progress class="meter" value="14"' in _usage(page, "ai_credits")
    # features: none on Free, each listed; and a link to compare the plans
    assert page.count("Not included") == 7 and "REST API access" in page
    assert "/pricing/" in page


def test_unlimited_limits_say_so(client_for, owner, on_plan):
    on_plan("enterprise")
    response = client_for(owner).get(URL)
    page = response.content.decode()
    assert "Unlimited" in _usage(page, "contacts")
    assert "<progress" not in _usage(page, "contacts")
    assert page.count("Not included") == 0


def test_storage_is_measured_from_the_workspaces_files(client_for, owner, on_plan, media, tenant_a):
    on_plan("free")
    folder = media / tenant_a.schema_name / "imports" / "x"
    folder.mkdir(parents=True)
    (folder / "a.csv").write_bytes(b"x" * (3 * 1024 * 1024))
    (media / "tenants" / tenant_a.schema_name / "branding").mkdir(parents=True)
    (media / "tenants" / tenant_a.schema_name / "branding" / "logo.png").write_bytes(b"x" * (1024 * 1024 // 2))
    # another workspace's files do not count
    (media / "t_globex").mkdir()
    (media / "t_globex" / "big.bin").write_bytes(b"x" * (5 * 1024 * 1024))
    usage = {row["key"]: row for row in client_for(owner).get(URL).context["usage"]}
    assert usage["storage"]["used"] == 3.5


def test_a_trial_shows_as_such(client_for, admin, tenant_a):
    from billing.models import BillingAccount

    # given acme on the card-less Pro trial every new workspace starts with
    assert BillingAccount.objects.get(tenant=tenant_a).status == BillingAccount.Status.TRIALING
    page = client_for(admin).get(URL).content.decode()
    assert 'data-plan="pro"' in page and "Trial" in page and "Trial ends" in page


def test_the_page_is_in_bulgarian(client_for, owner, on_plan):
    on_plan("free")
    type(owner).objects.filter(pk=owner.pk).update(language="bg")
    client = client_for(owner)
    response = client.get(URL)
    with translation.override("bg"):
        expected = [translation.gettext(s) for s in ("Usage", "Features of your plan", "Compare plans")]
    page = response.content.decode()
    assert all(text in page for text in expected), expected
    assert "Features of your plan" not in page


def test_queries_are_few(client_for, owner, on_plan, add_contacts, django_assert_max_num_queries):
    on_plan("free")
    add_contacts(20)
    client = client_for(owner)
    client.get(URL)
    with django_assert_max_num_queries(12):
        # session, user, membership, ... + plan, seats, contacts, month's counter
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("persona", ["sales_rep", "read_only"])
def test_other_roles_get_403(client_for, request, persona):
    assert client_for(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_anonymous_is_sent_to_sign_in():
    response = Client(HTTP_HOST="acme.localhost").get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_another_workspaces_owner_gets_nothing(tenant_b, outsider, on_plan):
    on_plan("free")
    # on their own host: their own workspace's page, never acme's
    theirs = Client(HTTP_HOST="globex.localhost")
    sign_in(theirs, outsider, tenant=tenant_b)
    page = theirs.get(URL)
    assert page.status_code == 200 and 'data-plan="pro"' in page.content.decode()
    # their session replayed on acme's host: sent to sign in
    replayed = Client(HTTP_HOST="acme.localhost")
    replayed.cookies[settings.SESSION_COOKIE_NAME] = theirs.cookies[settings.SESSION_COOKIE_NAME].value
    assert replayed.get(URL).status_code == 302


def test_the_tab_is_among_the_settings_tabs_of_admins(client_for, admin):
    assert 'href="/settings/billing/"' in client_for(admin).get("/settings/members/").content.decode()


def test_the_tab_is_not_offered_to_who_cannot_open_it(in_acme, sales_rep, admin):
    from themes.navigation import settings_tabs_for

    assert "billing" in {tab.key for tab in settings_tabs_for(admin)}
    assert "billing" not in {tab.key for tab in settings_tabs_for(sales_rep)}
