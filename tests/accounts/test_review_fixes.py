"""Regression tests for holes found in review: impersonation reaching account pages,
superusers passing role checks, a race that removes the last owner, workspace-branded
mail to non-members, stale host caches after a delete."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from shared_apps.accounts.models import Membership
from tests.helpers import sign_in


def _impersonating(platform_staff, membership):
    from urllib.parse import urlsplit

    console = Client(HTTP_HOST="localhost")
    sign_in(console, platform_staff, otp_device=TOTPDevice.objects.get(user=platform_staff))
    target = urlsplit(console.post(f"/console/tenants/{membership.tenant.slug}/impersonate/{membership.pk}/", {"reason": "ticket 7"})["Location"])
    app = Client(HTTP_HOST=target.netloc)
    app.get(f"{target.path}?{target.query}")
    return app


@pytest.mark.django_db
class TestImpersonationStaysInTheWorkspace:
    @pytest.mark.parametrize("path", ["/account/profile/", "/account/security/", "/account/2fa/setup/",
                                      "/accounts/email/", "/accounts/password/change/", "/account/workspaces/globex/open/"])
    def test_account_pages_are_closed(self, path, platform_staff, sales_rep, tenant_a, tenant_b):
        Membership.objects.create(user=sales_rep, tenant=tenant_b, role="sales")
        app = _impersonating(platform_staff, Membership.objects.get(user=sales_rep, tenant=tenant_a))
        response = app.get(path)
        assert response.status_code == 302 and response["Location"] == "/"
        assert app.post(path, {"email": "attacker@evil.test", "action_add": "1"}).status_code == 302
        from allauth.account.models import EmailAddress

        assert not EmailAddress.objects.filter(email="attacker@evil.test").exists()

    def test_workspace_pages_stay_open_and_sign_out_works(self, platform_staff, sales_rep, tenant_a):
        app = _impersonating(platform_staff, Membership.objects.get(user=sales_rep, tenant=tenant_a))
        assert app.get("/").status_code == 200
        assert app.post("/accounts/logout/").status_code == 302
        assert app.get("/").status_code == 302


@pytest.mark.django_db
def test_a_superuser_is_bound_by_their_workspace_role(app_client, read_only, tenant_a):
    type(read_only).objects.filter(pk=read_only.pk).update(is_superuser=True)
    read_only.refresh_from_db()
    sign_in(app_client, read_only, tenant=tenant_a)
    for path in ("/settings/", "/settings/branding/", "/settings/members/", "/settings/security/"):
        assert app_client.get(path).status_code == 403, path
    assert "/settings/" not in app_client.get("/").content.decode()


@pytest.mark.django_db
def test_services_refuse_without_the_permission(sales_rep, tenant_a):
    from shared_apps.accounts.errors import PermissionDeniedError
    from tenant_apps.workspace.services import workspace_profile_update, workspace_require_2fa_set
    from tests.helpers import as_member
    from themes.services import branding_update

    with as_member(sales_rep, tenant_a):
        with pytest.raises(PermissionDeniedError):
            workspace_profile_update(tenant=tenant_a, name="Hijacked", actor=sales_rep)
        with pytest.raises(PermissionDeniedError):
            workspace_require_2fa_set(tenant=tenant_a, required=False, actor=sales_rep)
        with pytest.raises(PermissionDeniedError):
            branding_update(primary_colour="#000000", accent_colour="#000000", actor=sales_rep)


@pytest.mark.django_db
class TestMailInAWorkspacesName:
    def test_password_reset_for_a_non_member_sends_nothing(self, app_client, outsider, mailbox):
        app_client.post("/accounts/password/reset/", {"email": outsider.email})
        app_client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
        assert mailbox() == []

    def test_password_reset_for_a_member_is_sent(self, app_client, owner, mailbox):
        app_client.post("/accounts/password/reset/", {"email": owner.email})
        assert [m["To"] for m in mailbox()] == [owner.email]

    def test_the_public_host_still_answers_everyone(self, public_client, outsider, mailbox):
        public_client.post("/accounts/password/reset/", {"email": outsider.email})
        assert [m["To"] for m in mailbox()] == [outsider.email]


@pytest.mark.django_db
def test_console_member_counts_are_not_multiplied_by_the_search(platform_staff):
    from shared_apps.console.selectors import tenant_search

    counts = {t.slug: t.member_count for t in tenant_search(q="acme")}
    assert counts["acme"] == 4


@pytest.mark.django_db
def test_role_change_message_names_the_new_role(app_client, admin, sales_rep, tenant_a):
    sign_in(app_client, admin, tenant=tenant_a)
    membership = Membership.objects.get(user=sales_rep, tenant=tenant_a)
    response = app_client.post(f"/settings/members/{membership.pk}/role/", {f"m{membership.pk}-role": "manager"}, follow=True)
    assert "Sam Sales is now Manager." in response.content.decode()


def test_two_owners_removing_each_other_at_once_leave_one(django_db_setup, django_db_blocker):
    """Real concurrent transactions: the second waits for the first's owner-row locks."""
    from django.db import close_old_connections

    from shared_apps.accounts.errors import MembershipError
    from shared_apps.accounts.models import User
    from shared_apps.accounts.services.members import membership_remove
    from tenants.models import Tenant
    from tenants.services import tenant_delete, tenant_provision
    from tests.helpers import make_user

    with django_db_blocker.unblock():
        first, second = make_user("first@race.test"), make_user("second@race.test")
        tenant = tenant_provision(slug="owner-race", name="Race", owner=first, method="clone")
        Membership.objects.create(user=second, tenant=tenant, role="owner")
        connection.set_schema_to_public()
        barrier, outcomes = threading.Barrier(2), []

        def remove(actor, target):
            try:
                connection.set_tenant(tenant)
                membership = Membership.objects.get(user=target, tenant=tenant)
                barrier.wait()
                membership_remove(membership=membership, actor=actor)
                outcomes.append("removed")
            except MembershipError:
                outcomes.append("refused")
            finally:
                close_old_connections()
                connection.close()

        threads = [threading.Thread(target=remove, args=pair) for pair in ((first, second), (second, first))]
        try:
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
            assert sorted(outcomes) == ["refused", "removed"]
            assert Membership.objects.filter(tenant=tenant, role="owner").count() == 1
        finally:
            connection.set_schema_to_public()
            tenant_delete(tenant=Tenant.objects.get(slug="owner-race"), backup=False)
            User.objects.filter(email__endswith="@race.test").delete()


@pytest.mark.django_db
def test_a_deleted_workspace_is_not_served_from_the_host_cache(client, tenant_a):
    from tenants.services import tenant_delete

    assert client.get("/accounts/login/", HTTP_HOST="acme.localhost").status_code == 200  # now cached
    tenant_delete(tenant=tenant_a, backup=False)
    assert client.get("/accounts/login/", HTTP_HOST="acme.localhost").status_code == 404
