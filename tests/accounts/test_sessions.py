"""Sessions are bound to the host they were made on; active sessions can be revoked."""

import pytest
from django.conf import settings
from django.test import Client

from shared_apps.accounts.models import Membership, UserSession
from shared_apps.audit.models import EventKind, SecurityEvent
from tests.helpers import sign_in


@pytest.mark.django_db
class TestCookieReplay:
    def test_cookie_from_tenant_a_gets_nothing_on_tenant_b(self, owner, tenant_a):
        a = Client(HTTP_HOST="acme.localhost")
        sign_in(a, owner, tenant=tenant_a)
        assert a.get("/").status_code == 200
        b = Client(HTTP_HOST="globex.localhost")
        b.cookies[settings.SESSION_COOKIE_NAME] = a.cookies[settings.SESSION_COOKIE_NAME].value
        response = b.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert SecurityEvent.objects.filter(kind=EventKind.SESSION_REPLAY_BLOCKED, actor=owner).exists()

    def test_cookie_of_a_member_of_both_still_only_works_where_it_was_made(self, owner, tenant_a, tenant_b):
        Membership.objects.create(user=owner, tenant=tenant_b, role="sales")
        a = Client(HTTP_HOST="acme.localhost")
        sign_in(a, owner, tenant=tenant_a)
        b = Client(HTTP_HOST="globex.localhost")
        b.cookies[settings.SESSION_COOKIE_NAME] = a.cookies[settings.SESSION_COOKIE_NAME].value
        assert b.get("/").status_code == 302

    def test_app_cookie_gets_nothing_on_the_public_host(self, owner, tenant_a):
        a = Client(HTTP_HOST="acme.localhost")
        sign_in(a, owner, tenant=tenant_a)
        public = Client(HTTP_HOST="localhost")
        public.cookies[settings.SESSION_COOKIE_NAME] = a.cookies[settings.SESSION_COOKIE_NAME].value
        assert public.get("/account/workspaces/").status_code == 302

    def test_app_cookie_gets_nothing_on_the_portal(self, owner, tenant_a):
        a = Client(HTTP_HOST="acme.localhost")
        sign_in(a, owner, tenant=tenant_a)
        portal = Client(HTTP_HOST="acme.portal.localhost")
        portal.cookies[settings.SESSION_COOKIE_NAME] = a.cookies[settings.SESSION_COOKIE_NAME].value
        response = portal.get("/")
        assert response.status_code == 200
        assert not response.wsgi_request.user.is_authenticated

    def test_public_session_gets_nothing_on_a_workspace(self, owner, tenant_a):
        public = Client(HTTP_HOST="localhost")
        sign_in(public, owner)
        assert public.get("/account/workspaces/").status_code == 200
        a = Client(HTTP_HOST="acme.localhost")
        a.cookies[settings.SESSION_COOKIE_NAME] = public.cookies[settings.SESSION_COOKIE_NAME].value
        assert a.get("/").status_code == 302

    def test_cookies_are_host_only(self, app_client, owner, password):
        response = app_client.post("/accounts/login/", {"login": owner.email, "password": password})
        cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        assert cookie["domain"] == ""
        assert cookie["httponly"]
        assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
class TestMembershipChecks:
    def test_removed_member_is_signed_out_on_next_request(self, app_client, sales_rep, tenant_a):
        sign_in(app_client, sales_rep, tenant=tenant_a)
        assert app_client.get("/").status_code == 200
        Membership.objects.filter(user=sales_rep, tenant=tenant_a).delete()
        response = app_client.get("/")
        assert response["Location"] == "/accounts/login/"


@pytest.mark.django_db
class TestActiveSessions:
    def test_login_registers_the_session(self, app_client, owner, password):
        app_client.post("/accounts/login/", {"login": owner.email, "password": password})
        row = UserSession.objects.get(user=owner)
        assert row.tenant.slug == "acme"
        assert row.surface == "app"

    def test_revoking_a_session_signs_it_out(self, owner, tenant_a, tenant_b):
        first = Client(HTTP_HOST="acme.localhost")
        sign_in(first, owner, tenant=tenant_a)
        second = Client(HTTP_HOST="acme.localhost")
        sign_in(second, owner, tenant=tenant_a)
        other = UserSession.objects.get(session_key=second.cookies[settings.SESSION_COOKIE_NAME].value)
        response = first.post(f"/account/security/sessions/{other.pk}/revoke/")
        assert response.status_code == 302
        assert second.get("/").status_code == 302
        assert first.get("/").status_code == 200

    def test_sign_out_everywhere_else(self, owner, tenant_a):
        clients = [Client(HTTP_HOST="acme.localhost") for _ in range(3)]
        for c in clients:
            sign_in(c, owner, tenant=tenant_a)
        clients[0].post("/account/security/sessions/revoke-others/")
        assert clients[0].get("/").status_code == 200
        assert clients[1].get("/").status_code == 302
        assert clients[2].get("/").status_code == 302

    def test_cannot_revoke_someone_elses_session_from_the_account_page(self, owner, sales_rep, tenant_a):
        mine = Client(HTTP_HOST="acme.localhost")
        sign_in(mine, sales_rep, tenant=tenant_a)
        theirs = Client(HTTP_HOST="acme.localhost")
        sign_in(theirs, owner, tenant=tenant_a)
        target = UserSession.objects.get(user=owner)
        assert mine.post(f"/account/security/sessions/{target.pk}/revoke/").status_code == 404
        assert theirs.get("/").status_code == 200

    def test_admin_can_sign_out_a_member_here(self, app_client, admin, sales_rep, tenant_a):
        victim = Client(HTTP_HOST="acme.localhost")
        sign_in(victim, sales_rep, tenant=tenant_a)
        sign_in(app_client, admin, tenant=tenant_a)
        target = UserSession.objects.get(user=sales_rep)
        assert app_client.post(f"/settings/security/sessions/{target.pk}/revoke/").status_code == 302
        assert victim.get("/").status_code == 302

    def test_admin_cannot_touch_sessions_of_another_workspace(self, app_client, admin, outsider, tenant_a, tenant_b):
        other = Client(HTTP_HOST="globex.localhost")
        sign_in(other, outsider, tenant=tenant_b)
        sign_in(app_client, admin, tenant=tenant_a)
        target = UserSession.objects.get(user=outsider)
        assert app_client.post(f"/settings/security/sessions/{target.pk}/revoke/").status_code == 404
        assert other.get("/").status_code == 200
