"""Every API URL (of every app: the rows of kind "api" in the isolation matrix), called
on acme's host with globex's own valid key, gets 401 and nothing of acme's; a read key
and a read-only member's key get 403 on every write."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.test_isolation import APP_URLS as URLS
from tests.test_isolation import AREA_ARGS

API_URLS = [name for name, (_method, kind) in URLS.items() if kind == "api"]


def url_args(name, tenant):
    return AREA_ARGS[name](name, tenant) if name in AREA_ARGS else []


@pytest.mark.django_db
@pytest.mark.parametrize("name", API_URLS)
def test_another_workspaces_key_gets_nothing(name, tenant_a, tenant_b, outsider):
    from tenant_apps.integrations.services import api_key_create

    method = URLS[name][0]
    url = reverse(name, urlconf="config.urls_app", args=url_args(name, tenant_a))
    connection.set_tenant(tenant_b)
    _key, secret = api_key_create(actor=outsider, name="Globex", scope="read_write")
    connection.set_schema_to_public()
    client = Client(HTTP_HOST="acme.localhost", HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.post(url) if method == "post" else client.get(url)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_api_key"
    assert b"Secret" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in API_URLS if URLS[n][0] == "post"])
def test_a_read_key_cannot_write_anywhere(name, tenant_a, owner, make_key):
    url = reverse(name, urlconf="config.urls_app", args=url_args(name, tenant_a))
    client = Client(HTTP_HOST="acme.localhost", HTTP_AUTHORIZATION=f"Bearer {make_key(owner, scope='read')}")
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only_key"


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n in API_URLS if URLS[n][0] == "post"])
def test_a_read_only_members_key_cannot_write_anywhere(name, tenant_a, read_only, make_key):
    url = reverse(name, urlconf="config.urls_app", args=url_args(name, tenant_a))
    client = Client(HTTP_HOST="acme.localhost", HTTP_AUTHORIZATION=f"Bearer {make_key(read_only)}")
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
