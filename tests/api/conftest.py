"""API test plumbing: keys for the personas and clients that send them."""

import pytest
from django.db import connection
from django.test import Client


@pytest.fixture
def make_key(in_acme):
    """make_key(user, scope="read_write", **kwargs) -> the full secret of a new acme key.
    The key is created as an owner would, then made to act as `user`."""
    from shared_apps.accounts.models import Membership
    from tenant_apps.integrations.models import ApiKey
    from tenant_apps.integrations.services import api_key_create

    def make(user, scope="read_write", **kwargs):
        connection.set_tenant(in_acme)
        creator = Membership.objects.get(tenant=in_acme, role="owner").user
        key, secret = api_key_create(actor=creator, name=f"Key for {user.email}", scope=scope, **kwargs)
        ApiKey.objects.filter(pk=key.pk).update(created_by=user)
        connection.set_tenant(in_acme)
        return secret

    return make


@pytest.fixture
def api_for(make_key):
    """api_for(user, scope="read_write") -> a client on acme's host sending a key of `user`."""

    def make(user, scope="read_write"):
        return Client(HTTP_HOST="acme.localhost", HTTP_AUTHORIZATION=f"Bearer {make_key(user, scope)}")

    return make


@pytest.fixture
def api(api_for, owner):
    return api_for(owner)


def error_of(response) -> dict:
    """The documented error body of a response."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message"} <= set(body["error"]), body
    return body["error"]
