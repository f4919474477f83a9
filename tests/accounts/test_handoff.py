"""Crossing hosts: signed, single-use, short-lived hand-off tokens."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from shared_apps.accounts.models import Membership
from shared_apps.accounts.services.handoff import SALT, handoff_issue
from tests.helpers import sign_in


def _path(url):
    parts = urlsplit(url)
    return parts.netloc, f"{parts.path}?{parts.query}"


@pytest.mark.django_db
class TestHandoff:
    def test_a_token_signs_the_user_in_on_the_target_host(self, owner, tenant_a):
        host, path = _path(handoff_issue(user=owner, tenant=tenant_a, next_path="/settings/"))
        assert host == "acme.localhost"
        client = Client(HTTP_HOST=host)
        response = client.get(path)
        assert response["Location"] == "/settings/"
        assert client.get("/settings/").status_code == 200

    def test_a_token_works_once(self, owner, tenant_a):
        _host, path = _path(handoff_issue(user=owner, tenant=tenant_a))
        assert Client(HTTP_HOST="acme.localhost").get(path).status_code == 302
        response = Client(HTTP_HOST="acme.localhost").get(path)
        assert response.status_code == 400
        assert "already been used" in response.content.decode()

    def test_an_expired_token_is_refused(self, owner, tenant_a, settings):
        _host, path = _path(handoff_issue(user=owner, tenant=tenant_a))
        settings.HANDOFF_MAX_AGE_SECONDS = -1
        response = Client(HTTP_HOST="acme.localhost").get(path)
        assert response.status_code == 400
        assert "expired" in response.content.decode()

    def test_a_forged_token_is_refused(self, owner, tenant_a):
        forged = signing.dumps({"u": owner.pk, "s": tenant_a.schema_name, "f": "app", "n": "x", "p": "/"}, key="not-our-key", salt=SALT)
        response = Client(HTTP_HOST="acme.localhost").get("/auth/handoff/", {"token": forged})
        assert response.status_code == 400
        assert "not valid" in response.content.decode()
        response = Client(HTTP_HOST="acme.localhost").get("/auth/handoff/", {"token": "garbage"})
        assert response.status_code == 400

    def test_a_token_for_one_workspace_does_not_open_another(self, owner, tenant_a, tenant_b):
        Membership.objects.create(user=owner, tenant=tenant_b, role="sales")
        _host, path = _path(handoff_issue(user=owner, tenant=tenant_a))
        response = Client(HTTP_HOST="globex.localhost").get(path)
        assert response.status_code == 400
        assert "another workspace" in response.content.decode()

    def test_a_token_for_a_non_member_is_refused(self, outsider, tenant_a):
        _host, path = _path(handoff_issue(user=outsider, tenant=tenant_a))
        response = Client(HTTP_HOST="acme.localhost").get(path)
        assert response.status_code == 400

    def test_next_cannot_leave_the_host(self, owner, tenant_a):
        _host, path = _path(handoff_issue(user=owner, tenant=tenant_a, next_path="//evil.test/x"))
        assert Client(HTTP_HOST="acme.localhost").get(path)["Location"] == "/"

    def test_a_verified_session_stays_verified_across_hosts(self, owner, tenant_a, tenant_b):
        Membership.objects.create(user=owner, tenant=tenant_b, role="admin")
        device = TOTPDevice.objects.create(user=owner, name="app", confirmed=True)
        type(owner).objects.filter(pk=owner.pk).update(two_factor_enabled=True)
        owner.refresh_from_db()
        a = Client(HTTP_HOST="acme.localhost")
        sign_in(a, owner, tenant=tenant_a, otp_device=device)
        response = a.get("/account/workspaces/globex/open/")
        host, path = _path(response["Location"])
        assert host == "globex.localhost"
        b = Client(HTTP_HOST=host)
        assert b.get(path).status_code == 302
        assert b.get("/").status_code == 200  # no second-factor prompt

    def test_an_unverified_handoff_of_a_2fa_user_asks_for_the_code(self, owner, tenant_a):
        TOTPDevice.objects.create(user=owner, name="app", confirmed=True)
        type(owner).objects.filter(pk=owner.pk).update(two_factor_enabled=True)
        _host, path = _path(handoff_issue(user=owner, tenant=tenant_a))
        client = Client(HTTP_HOST="acme.localhost")
        client.get(path)
        assert client.get("/")["Location"].startswith("/account/2fa/verify/")

    def test_workspace_switch_to_a_workspace_you_do_not_belong_to_is_404(self, app_client, owner, tenant_a):
        sign_in(app_client, owner, tenant=tenant_a)
        assert app_client.get("/account/workspaces/globex/open/").status_code == 404


@pytest.mark.django_db
class TestImpersonation:
    def _staff_console(self, platform_staff, totp):
        client = Client(HTTP_HOST="localhost")
        device = TOTPDevice.objects.get(user=platform_staff)
        sign_in(client, platform_staff, otp_device=device)
        return client

    def test_staff_impersonates_with_a_banner_and_an_audit_trail(self, platform_staff, sales_rep, tenant_a, totp):
        from shared_apps.audit.models import EventKind, SecurityEvent

        console = self._staff_console(platform_staff, totp)
        membership = Membership.objects.get(user=sales_rep, tenant=tenant_a)
        response = console.post(f"/console/tenants/acme/impersonate/{membership.pk}/", {"reason": "ticket #42"})
        host, path = _path(response["Location"])
        app = Client(HTTP_HOST=host)
        app.get(path)
        page = app.get("/").content.decode()
        assert "You are acting as Sam Sales" in page
        assert SecurityEvent.objects.filter(kind=EventKind.IMPERSONATION_STARTED, actor=platform_staff, data__reason="ticket #42").exists()
        app.post("/impersonation/end/")
        assert app.get("/").status_code == 302
        assert SecurityEvent.objects.filter(kind=EventKind.IMPERSONATION_ENDED).exists()

    def test_impersonation_ends_at_its_time_limit(self, platform_staff, sales_rep, tenant_a, totp, settings):
        console = self._staff_console(platform_staff, totp)
        membership = Membership.objects.get(user=sales_rep, tenant=tenant_a)
        settings.IMPERSONATION_MAX_MINUTES = -1
        response = console.post(f"/console/tenants/acme/impersonate/{membership.pk}/", {"reason": "ticket #42"})
        host, path = _path(response["Location"])
        app = Client(HTTP_HOST=host)
        app.get(path)
        assert app.get("/").status_code == 302
        assert app.get("/settings/").status_code == 302

    def test_impersonation_needs_a_reason(self, platform_staff, sales_rep, tenant_a, totp):
        console = self._staff_console(platform_staff, totp)
        membership = Membership.objects.get(user=sales_rep, tenant=tenant_a)
        response = console.post(f"/console/tenants/acme/impersonate/{membership.pk}/", {"reason": ""})
        assert response["Location"] == "/console/tenants/acme/"

    def test_non_staff_cannot_impersonate(self, owner, sales_rep, tenant_a):
        client = Client(HTTP_HOST="localhost")
        sign_in(client, owner)
        membership = Membership.objects.get(user=sales_rep, tenant=tenant_a)
        assert client.post(f"/console/tenants/acme/impersonate/{membership.pk}/", {"reason": "x" * 10}).status_code == 404

    def test_a_handoff_naming_an_impersonator_who_is_not_staff_is_refused(self, owner, sales_rep, tenant_a):
        url = handoff_issue(user=sales_rep, tenant=tenant_a, impersonator=owner)
        _host, path = _path(url)
        assert Client(HTTP_HOST="acme.localhost").get(path).status_code == 400
