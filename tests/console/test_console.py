"""The platform console: workspaces, their numbers, suspend/resume, the security log."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from shared_apps.audit.models import EventKind, SecurityEvent
from tests.helpers import sign_in


@pytest.fixture
def console(platform_staff):
    client = Client(HTTP_HOST="localhost")
    sign_in(client, platform_staff, otp_device=TOTPDevice.objects.get(user=platform_staff))
    return client


@pytest.mark.django_db
class TestTenants:
    def test_list_and_search(self, console):
        page = console.get("/console/").content.decode()
        assert "Acme Ltd" in page and "Globex" in page
        page = console.get("/console/", {"q": "glob"}).content.decode()
        assert "Globex" in page and "Acme Ltd" not in page
        page = console.get("/console/", {"q": "charlie@globex"}).content.decode()  # by a member's e-mail
        assert "Globex" in page and "Acme Ltd" not in page

    def test_filters(self, console, tenant_a):
        from tenants.services import tenant_suspend

        tenant_suspend(tenant=tenant_a)
        page = console.get("/console/", {"status": "suspended"}).content.decode()
        assert "Acme Ltd" in page and "Globex" not in page
        page = console.get("/console/", {"plan": "pro", "created_from": "2000-01-01"}).content.decode()  # the test workspaces are on Pro, the trial plan
        assert "Globex" in page
        page = console.get("/console/", {"created_to": "2000-01-01"}).content.decode()
        assert "No workspaces match" in page

    def test_bad_filters_are_ignored_with_a_message(self, console):
        response = console.get("/console/", {"created_from": "yesterday", "plan": "platinum"})
        assert response.status_code == 200
        assert "Enter a valid date" in response.content.decode()

    def test_detail_shows_members_numbers_and_storage(self, console):
        page = console.get("/console/tenants/acme/").content.decode()
        for text in ("Olivia Owner", "Sam Sales", "acme.localhost", "acme.portal.localhost", "Database", "Files"):
            assert text in page

    def test_unknown_tenant_is_404(self, console):
        assert console.get("/console/tenants/nope/").status_code == 404

    def test_suspend_and_resume_are_logged(self, console, tenant_a, platform_staff):
        console.post("/console/tenants/acme/suspend/", {"reason": "chargeback"})
        tenant_a.refresh_from_db()
        assert tenant_a.status == "suspended" and tenant_a.suspended_reason == "chargeback"
        assert Client(HTTP_HOST="acme.localhost").get("/accounts/login/").status_code == 403
        console.post("/console/tenants/acme/resume/")
        tenant_a.refresh_from_db()
        assert tenant_a.status == "active"
        kinds = set(SecurityEvent.objects.filter(tenant=tenant_a, actor=platform_staff).values_list("kind", flat=True))
        assert {EventKind.TENANT_SUSPENDED, EventKind.TENANT_RESUMED} <= kinds

    def test_suspending_twice_says_so(self, console):
        console.post("/console/tenants/acme/suspend/")
        response = console.post("/console/tenants/acme/suspend/", follow=True)
        assert "already suspended" in response.content.decode()


@pytest.mark.django_db
class TestAuditLog:
    def test_log_lists_and_filters_events(self, console, app_client, owner):
        app_client.post("/accounts/login/", {"login": owner.email, "password": "wrong-password-x"})
        page = console.get("/console/audit/", {"kind": "login_failed"}).content.decode()
        assert "Failed sign-in" in page and owner.email in page
        page = console.get("/console/audit/", {"kind": "login_failed", "actor": "nobody@"}).content.decode()
        assert owner.email not in page

    def test_staff_without_2fa_is_sent_to_set_it_up(self, platform_staff):
        TOTPDevice.objects.filter(user=platform_staff).delete()
        type(platform_staff).objects.filter(pk=platform_staff.pk).update(two_factor_enabled=False)
        platform_staff.refresh_from_db()
        client = Client(HTTP_HOST="localhost")
        sign_in(client, platform_staff)
        assert client.get("/console/")["Location"] == "/account/2fa/setup/"


@pytest.mark.django_db
def test_tenant_list_queries_do_not_grow_with_tenants(console, django_assert_max_num_queries):
    from billing.models import Plan
    from tenants.models import Tenant

    console.get("/console/")
    free = Plan.objects.get(code="free")
    for i in range(30):  # rows only: the list never touches tenant schemas
        Tenant.objects.create(schema_name=f"t_many_{i}", slug=f"many-{i}", name=f"Many {i}", plan=free, is_ready=True)
    with django_assert_max_num_queries(12):
        response = console.get("/console/")
    assert "Many 29" in response.content.decode()
