"""Turning two-factor authentication on and off, and recovery codes."""

import re

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shared_apps.audit.models import EventKind, SecurityEvent
from tenants.hosts import host_cache_invalidate
from tests.helpers import PASSWORD, sign_in, totp_now


def _setup(client):
    page = client.get("/account/2fa/setup/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    return TOTPDevice.objects.get(confirmed=False)


@pytest.mark.django_db
class TestEnrolment:
    def test_setup_with_a_valid_code_turns_it_on_and_shows_codes_once(self, app_client, owner, tenant_a):
        sign_in(app_client, owner, tenant=tenant_a)
        device = _setup(app_client)
        response = app_client.post("/account/2fa/setup/", {"code": totp_now(device)})
        assert response["Location"] == "/account/2fa/recovery-codes/"
        page = app_client.get("/account/2fa/recovery-codes/").content.decode()
        codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", page)
        assert len(codes) == 10
        assert app_client.get("/account/2fa/recovery-codes/")["Location"] == "/account/security/"
        owner.refresh_from_db()
        assert owner.two_factor_enabled
        assert app_client.get("/").status_code == 200  # this session counts as verified
        assert SecurityEvent.objects.filter(kind=EventKind.TWO_FACTOR_ENABLED, actor=owner).exists()

    def test_a_wrong_code_keeps_it_off(self, app_client, owner, tenant_a):
        sign_in(app_client, owner, tenant=tenant_a)
        _setup(app_client)
        response = app_client.post("/account/2fa/setup/", {"code": "000000"})
        assert response.status_code == 200
        assert "not valid" in response.content.decode()
        owner.refresh_from_db()
        assert not owner.two_factor_enabled

    def test_a_stale_code_is_refused(self, app_client, owner, tenant_a):
        sign_in(app_client, owner, tenant=tenant_a)
        device = _setup(app_client)
        response = app_client.post("/account/2fa/setup/", {"code": totp_now(device, offset=-10)})
        assert "not valid" in response.content.decode()


def _enabled(app_client, user, tenant):
    sign_in(app_client, user, tenant=tenant)
    device = _setup(app_client)
    app_client.post("/account/2fa/setup/", {"code": totp_now(device)})
    app_client.get("/account/2fa/recovery-codes/")
    device.refresh_from_db()
    return device


@pytest.mark.django_db
class TestRecoveryCodes:
    def test_new_codes_replace_the_old_ones(self, app_client, owner, tenant_a):
        device = _enabled(app_client, owner, tenant_a)
        old = set(StaticToken.objects.values_list("token", flat=True))
        response = app_client.post("/account/2fa/recovery-codes/new/", {"code": totp_now(device, offset=1)})
        assert response["Location"] == "/account/2fa/recovery-codes/"
        new = set(StaticToken.objects.values_list("token", flat=True))
        assert len(new) == 10 and not (old & new)

    def test_new_codes_need_a_valid_code(self, app_client, owner, tenant_a):
        _enabled(app_client, owner, tenant_a)
        old = set(StaticToken.objects.values_list("token", flat=True))
        app_client.post("/account/2fa/recovery-codes/new/", {"code": "000000"})
        assert set(StaticToken.objects.values_list("token", flat=True)) == old


@pytest.mark.django_db
class TestTurningOff:
    def test_needs_password_and_code(self, app_client, owner, tenant_a):
        device = _enabled(app_client, owner, tenant_a)
        response = app_client.post("/account/2fa/disable/", {"password": "wrong-password-1", "code": totp_now(device, 1)})
        assert "password is not correct" in response.content.decode()
        response = app_client.post("/account/2fa/disable/", {"password": PASSWORD, "code": "000000"})
        assert "not valid" in response.content.decode()
        owner.refresh_from_db()
        assert owner.two_factor_enabled
        response = app_client.post("/account/2fa/disable/", {"password": PASSWORD, "code": totp_now(device, 1)})
        assert response["Location"] == "/account/security/"
        owner.refresh_from_db()
        assert not owner.two_factor_enabled
        assert not TOTPDevice.objects.filter(user=owner).exists()
        assert SecurityEvent.objects.filter(kind=EventKind.TWO_FACTOR_DISABLED, actor=owner).exists()

    def test_refused_while_the_workspace_requires_it(self, app_client, owner, tenant_a):
        device = _enabled(app_client, owner, tenant_a)
        type(tenant_a).objects.filter(pk=tenant_a.pk).update(require_2fa=True)
        host_cache_invalidate(tenant=tenant_a)
        response = app_client.post("/account/2fa/disable/", {"password": PASSWORD, "code": totp_now(device, 1)})
        assert "requires two-factor authentication" in response.content.decode()
        owner.refresh_from_db()
        assert owner.two_factor_enabled


@pytest.mark.django_db
class TestPolicy:
    def test_an_admin_without_2fa_cannot_require_it(self, app_client, owner, tenant_a):
        sign_in(app_client, owner, tenant=tenant_a)
        response = app_client.post("/settings/security/", {"require_2fa": "on"})
        assert "Turn on two-factor authentication for yourself first" in response.content.decode()
        tenant_a.refresh_from_db()
        assert not tenant_a.require_2fa

    def test_an_admin_with_2fa_requires_it_and_it_is_logged(self, app_client, owner, tenant_a):
        _enabled(app_client, owner, tenant_a)
        assert app_client.post("/settings/security/", {"require_2fa": "on"}).status_code == 302
        tenant_a.refresh_from_db()
        assert tenant_a.require_2fa
        assert SecurityEvent.objects.filter(kind=EventKind.TWO_FACTOR_POLICY, tenant=tenant_a).exists()
