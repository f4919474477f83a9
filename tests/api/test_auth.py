"""Who gets in through the API: keys (good, revoked, expired, another workspace's,
malformed), scopes, roles, sessions."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from tenant_apps.integrations.models import ApiKey
from tests.api.conftest import error_of
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db
URL = "/api/v1/contacts/"


def _client(secret):
    return Client(HTTP_HOST="acme.localhost", HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_a_good_key_lists_contacts(make_key, owner):
    response = _client(make_key(owner)).get(URL)
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_no_key_is_401_with_the_error_shape(in_acme):
    response = Client(HTTP_HOST="acme.localhost").get(URL)
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer tsk_nothing", "Bearer tsk__x"])
def test_a_malformed_or_unknown_key_is_401(in_acme, header):
    response = Client(HTTP_HOST="acme.localhost", HTTP_AUTHORIZATION=header).get(URL)
    assert response.status_code == 401
    assert error_of(response)["code"] in ("malformed_authorization", "invalid_api_key")


def test_a_wrong_secret_with_a_real_prefix_is_401(make_key, owner):
    secret = make_key(owner)
    response = _client(secret[:-2] + "xx").get(URL)
    assert response.status_code == 401
    assert error_of(response)["code"] == "invalid_api_key"


def test_a_revoked_key_is_401(make_key, owner, in_acme):
    secret = make_key(owner)
    ApiKey.objects.update(revoked_at=timezone.now())
    response = _client(secret).get(URL)
    assert response.status_code == 401
    assert error_of(response)["code"] == "api_key_revoked"


def test_an_expired_key_is_401(make_key, owner, in_acme):
    secret = make_key(owner, expires_at=timezone.now() + timedelta(days=1))
    ApiKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _client(secret).get(URL)
    assert response.status_code == 401
    assert error_of(response)["code"] == "api_key_expired"


def test_another_workspaces_key_gets_nothing_here(tenant_b, outsider, in_acme):
    from tenant_apps.integrations.services import api_key_create

    # given a key of globex
    connection.set_tenant(tenant_b)
    _key, secret = api_key_create(actor=outsider, name="Globex sync", scope="read_write")
    connection.set_tenant(in_acme)
    # when it is sent to acme's host
    response = _client(secret).get(URL)
    # then acme does not know it
    assert response.status_code == 401
    assert error_of(response)["code"] == "invalid_api_key"
    # and it works at home
    assert Client(HTTP_HOST="globex.localhost", HTTP_AUTHORIZATION=f"Bearer {secret}").get(URL).status_code == 200


def test_a_read_key_cannot_write(make_key, owner):
    response = _client(make_key(owner, scope="read")).post(URL, {"first_name": "Ivan"}, content_type="application/json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "read_only_key"


def test_a_read_only_members_key_cannot_write(make_key, read_only, in_acme):
    from tenant_apps.contacts.models import Contact

    response = _client(make_key(read_only)).post(URL, {"first_name": "Ivan"}, content_type="application/json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert not Contact.objects.exists()


def test_a_key_acts_with_its_creators_current_role(make_key, sales_rep, in_acme):
    from shared_apps.accounts.models import Membership

    secret = make_key(sales_rep)
    Membership.objects.filter(user=sales_rep, tenant=in_acme).update(role="read_only")
    response = _client(secret).post(URL, {"first_name": "Ivan"}, content_type="application/json")
    assert response.status_code == 403


def test_a_key_of_a_member_who_left_fails(make_key, sales_rep, in_acme):
    from shared_apps.accounts.models import Membership

    secret = make_key(sales_rep)
    Membership.objects.filter(user=sales_rep, tenant=in_acme).delete()
    response = _client(secret).get(URL)
    assert response.status_code == 401
    assert error_of(response)["code"] == "api_key_member_gone"


def test_last_use_is_noted_at_most_once_a_minute(make_key, owner, in_acme):
    secret = make_key(owner)
    client = _client(secret)
    client.get(URL)
    first = ApiKey.objects.get().last_used_at
    assert first is not None
    client.get(URL)
    assert ApiKey.objects.get().last_used_at == first
    ApiKey.objects.update(last_used_at=first - timedelta(minutes=2))
    client.get(URL)
    assert ApiKey.objects.get().last_used_at > first


def test_the_signed_in_ui_can_use_the_api_with_its_session(client_for, owner):
    client = client_for(owner)
    assert client.get(URL).status_code == 200


def test_session_writes_need_the_csrf_token(owner, in_acme):
    client = Client(HTTP_HOST="acme.localhost", enforce_csrf_checks=True)
    sign_in(client, owner, tenant=in_acme)
    response = client.post(URL, {"first_name": "Ivan"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in error_of(response)["message"]


def test_the_session_of_a_member_who_was_removed_is_401_not_a_redirect(client_for, sales_rep, in_acme):
    # given: a signed-in sales rep, then removed from the workspace
    from shared_apps.accounts.models import Membership

    client = client_for(sales_rep)
    Membership.objects.filter(user=sales_rep, tenant=in_acme).delete()
    # when
    response = client.get(URL)
    # then
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_a_session_still_waiting_for_its_second_factor_is_401(owner, in_acme, password):
    # given: the password step done, the second factor not yet
    from tests.conftest import _enable_totp

    _enable_totp(owner)
    client = Client(HTTP_HOST="acme.localhost")
    client.post("/accounts/login/", {"login": owner.email, "password": password})
    # when
    response = client.get(URL)
    # then
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_another_workspaces_session_cookie_gets_nothing(tenant_b, outsider, in_acme):
    theirs = Client(HTTP_HOST="globex.localhost")
    sign_in(theirs, outsider, tenant=tenant_b)
    replayed = Client(HTTP_HOST="acme.localhost")
    replayed.cookies[settings.SESSION_COOKIE_NAME] = theirs.cookies[settings.SESSION_COOKIE_NAME].value
    response = replayed.get(URL)
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_requests_per_key_are_limited(make_key, owner):
    from rest_framework.settings import api_settings

    from tenant_apps.integrations.api.throttling import ApiKeyRateThrottle

    old = ApiKeyRateThrottle.THROTTLE_RATES
    ApiKeyRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "api_key": "2/minute"}
    try:
        client = _client(make_key(owner))
        assert [client.get(URL).status_code for _ in range(2)] == [200, 200]
        response = client.get(URL)
        assert response.status_code == 429
        assert error_of(response)["code"] == "throttled"
        assert int(response["Retry-After"]) > 0
        # another key has its own budget
        assert _client(make_key(owner)).get(URL).status_code == 200
    finally:
        ApiKeyRateThrottle.THROTTLE_RATES = old


def test_key_errors_in_bulgarian(make_key, owner):
    response = _client(make_key(owner, scope="read")).post(
        URL, {"first_name": "Ivan"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="bg"
    )
    assert error_of(response) == {"code": "read_only_key", "message": "Този API ключ е само за четене."}


def test_a_key_needs_no_csrf_token(make_key, owner):
    client = Client(HTTP_HOST="acme.localhost", HTTP_AUTHORIZATION=f"Bearer {make_key(owner)}",
                    enforce_csrf_checks=True)
    assert client.post(URL, {"first_name": "Ivan"}, content_type="application/json").status_code == 201


def test_unknown_api_paths_answer_in_the_error_shape(make_key, owner):
    client = _client(make_key(owner))
    response = client.get("/api/v1/planets/")
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"
    no_slash = client.post("/api/v1/contacts", {"first_name": "Ivan"}, content_type="application/json")
    assert no_slash.status_code == 404
    assert error_of(no_slash)["message"].endswith("/api/v1/contacts/")
