"""Signing in on a workspace host: membership required, second factor on every path."""

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shared_apps.audit.models import EventKind, SecurityEvent
from tests.helpers import totp_now


def _login(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


def _enable_2fa(user):
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    StaticToken.objects.create(device=static, token="abcde23456")
    type(user).objects.filter(pk=user.pk).update(two_factor_enabled=True)
    return device


@pytest.mark.django_db
class TestPasswordLogin:
    def test_member_signs_in(self, app_client, owner, password):
        response = _login(app_client, owner.email, password)
        assert response.status_code == 302
        assert app_client.get("/").status_code == 200
        assert SecurityEvent.objects.filter(kind=EventKind.LOGIN, actor=owner, tenant__slug="acme").exists()

    def test_wrong_password_is_refused_and_logged(self, app_client, owner):
        response = _login(app_client, owner.email, "wrong-password-1")
        assert response.status_code == 200
        assert "not correct" in response.content.decode()
        assert app_client.get("/").status_code == 302
        assert SecurityEvent.objects.filter(kind=EventKind.LOGIN_FAILED, actor_email=owner.email).exists()

    def test_non_member_cannot_sign_in_to_another_workspace(self, app_client, outsider, password):
        response = _login(app_client, outsider.email, password)
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/"
        page = app_client.get("/accounts/login/").content.decode()
        assert "You do not have access to Acme Ltd" in page
        assert app_client.get("/").status_code == 302

    def test_login_failures_are_rate_limited_per_email_across_hosts(self, client, owner, password):
        for _ in range(3):
            _login(client, owner.email, "nope-nope-nope")  # on acme (default host below)
        client.defaults["HTTP_HOST"] = "globex.localhost"
        for _ in range(2):
            _login(client, owner.email, "nope-nope-nope")
        client.defaults["HTTP_HOST"] = "acme.localhost"
        response = _login(client, owner.email, password)  # even the right password, for now
        assert response.status_code == 200
        assert "Too many failed login attempts" in response.content.decode()
        assert client.get("/").status_code == 302

    @pytest.fixture
    def client(self, client):
        client.defaults["HTTP_HOST"] = "acme.localhost"
        return client


@pytest.mark.django_db
class TestSecondFactorAtLogin:
    def test_password_alone_does_not_sign_in(self, app_client, owner, password):
        _enable_2fa(owner)
        response = _login(app_client, owner.email, password)
        assert response["Location"] == "/account/2fa/authenticate/"
        assert app_client.get("/").status_code == 302  # not signed in yet
        assert app_client.get("/settings/").status_code == 302

    def test_correct_code_completes_sign_in_and_session_is_verified(self, app_client, owner, password):
        device = _enable_2fa(owner)
        _login(app_client, owner.email, password)
        response = app_client.post("/account/2fa/authenticate/", {"code": totp_now(device)})
        assert response.status_code == 302
        assert app_client.get("/").status_code == 200

    def test_wrong_code_is_refused_with_a_message(self, app_client, owner, password):
        _enable_2fa(owner)
        _login(app_client, owner.email, password)
        response = app_client.post("/account/2fa/authenticate/", {"code": "000000"})
        assert response.status_code == 200
        assert "That code is not valid" in response.content.decode()
        assert app_client.get("/").status_code == 302
        assert SecurityEvent.objects.filter(kind=EventKind.TWO_FACTOR_FAILED, actor=owner).exists()

    def test_five_wrong_codes_end_the_attempt(self, app_client, owner, password):
        _enable_2fa(owner)
        _login(app_client, owner.email, password)
        for _ in range(5):
            response = app_client.post("/account/2fa/authenticate/", {"code": "000000"})
        assert response["Location"] == "/accounts/login/"
        assert app_client.get("/account/2fa/authenticate/")["Location"] == "/accounts/login/"

    def test_recovery_code_works_once(self, app_client, client, owner, password):
        _enable_2fa(owner)
        _login(app_client, owner.email, password)
        response = app_client.post("/account/2fa/authenticate/", {"code": "ABCDE-23456"})
        assert response.status_code == 302
        assert app_client.get("/").status_code == 200
        assert SecurityEvent.objects.filter(kind=EventKind.RECOVERY_CODE_USED, actor=owner).exists()
        # the same code on a second sign-in is refused
        client.defaults["HTTP_HOST"] = "acme.localhost"
        _login(client, owner.email, password)
        response = client.post("/account/2fa/authenticate/", {"code": "abcde-23456"})
        assert "That code is not valid" in response.content.decode()

    def test_the_code_page_without_a_pending_login_goes_back_to_sign_in(self, app_client):
        assert app_client.get("/account/2fa/authenticate/")["Location"] == "/accounts/login/"

    def test_password_reset_does_not_sign_in(self, app_client, owner, mailbox):
        _enable_2fa(owner)
        app_client.post("/accounts/password/reset/", {"email": owner.email})
        messages = mailbox()
        assert len(messages) == 1
        from tests.helpers import link_in

        link = link_in(messages[0])
        path = link.split("acme.localhost", 1)[1]
        response = app_client.get(path, follow=True)
        form_path = response.redirect_chain[-1][0] if response.redirect_chain else path
        response = app_client.post(form_path, {"password1": "a-new-Passw0rd-42", "password2": "a-new-Passw0rd-42"})
        assert response.status_code == 302
        assert app_client.get("/").status_code == 302  # must still sign in, with 2FA
        response = _login(app_client, owner.email, "a-new-Passw0rd-42")
        assert response["Location"] == "/account/2fa/authenticate/"


@pytest.mark.django_db
class TestSessionsThatMissedTheSecondFactor:
    def test_a_session_from_before_2fa_must_pass_it(self, app_client, owner, tenant_a):
        from tests.helpers import sign_in

        sign_in(app_client, owner, tenant=tenant_a)
        device = _enable_2fa(owner)
        response = app_client.get("/settings/")
        assert response.status_code == 302
        assert response["Location"].startswith("/account/2fa/verify/")
        response = app_client.post("/account/2fa/verify/?next=/settings/", {"code": totp_now(device), "next": "/settings/"})
        assert response["Location"] == "/settings/"
        assert app_client.get("/settings/").status_code == 200

    def test_verify_refuses_an_offsite_next(self, app_client, owner, tenant_a):
        from tests.helpers import sign_in

        sign_in(app_client, owner, tenant=tenant_a)
        device = _enable_2fa(owner)
        response = app_client.post("/account/2fa/verify/", {"code": totp_now(device), "next": "https://evil.test/"})
        assert response["Location"] == "/"


@pytest.mark.django_db
class TestWorkspacePolicy:
    def test_member_without_2fa_must_set_it_up_when_required(self, app_client, sales_rep, tenant_a):
        from tests.helpers import sign_in

        type(tenant_a).objects.filter(pk=tenant_a.pk).update(require_2fa=True)
        sign_in(app_client, sales_rep, tenant=tenant_a)
        response = app_client.get("/")
        assert response["Location"] == "/account/2fa/setup/"
        assert app_client.get("/account/2fa/setup/").status_code == 200
        assert app_client.get("/account/profile/")["Location"] == "/account/2fa/setup/"

    def test_policy_does_not_reach_other_workspaces(self, app_client_b, outsider, tenant_a, tenant_b):
        from tests.helpers import sign_in

        type(tenant_a).objects.filter(pk=tenant_a.pk).update(require_2fa=True)
        sign_in(app_client_b, outsider, tenant=tenant_b)
        assert app_client_b.get("/").status_code == 200


@pytest.mark.django_db
def test_password_reset_mail_wears_the_workspace_brand(app_client, owner, tenant_a, mailbox):
    from themes.services import branding_update

    from tests.helpers import as_member

    with as_member(owner, tenant_a):
        branding_update(primary_colour="#0f766e", accent_colour="#e11d48", actor=owner)
    app_client.post("/accounts/password/reset/", {"email": owner.email})
    [message] = mailbox()
    html = message.get_body(preferencelist=("html",)).get_content()
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "#0f766e" in html and "Acme Ltd" in html and "Choose a new password" in html
    assert "Hello from Acme Ltd!" in text
