"""Settings → Integrations: owners and admins create (the key shown once), list and revoke
keys; each write leaves a security event."""

import pytest

from shared_apps.audit.models import EventKind, SecurityEvent
from tenant_apps.integrations.models import ApiKey
from tenant_apps.integrations.selectors import secret_hash

pytestmark = pytest.mark.django_db
URL = "/settings/integrations/"


def test_an_admin_creates_a_key_and_sees_it_once(client_for, admin):
    client = client_for(admin)
    # when
    response = client.post(URL, {"name": "Website form", "scope": "read_write", "expires_in": "90"})
    # then the full key is on this page, and only its hash is stored
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    key = ApiKey.objects.get()
    secret = response.context["secret"]
    assert secret.startswith(key.prefix + "_") and key.secret_hash == secret_hash(secret)
    assert secret in response.content.decode() and 'data-copy="#new-api-key"' in response.content.decode()
    assert key.created_by == admin and key.scope == "read_write" and key.expires_at is not None
    assert SecurityEvent.objects.filter(kind=EventKind.API_KEY_CREATED, actor=admin, data__key=key.prefix).exists()
    # and never again
    listed = client.get(URL).content.decode()
    assert secret not in listed and key.prefix in listed and "Website form" in listed


def test_the_key_works_at_once(client_for, owner):
    from django.test import Client

    secret = client_for(owner).post(URL, {"name": "Sync", "scope": "read"}).context["secret"]
    response = Client(HTTP_HOST="acme.localhost", HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/contacts/")
    assert response.status_code == 200


def test_a_nameless_key_is_refused(client_for, owner):
    response = client_for(owner).post(URL, {"name": " ", "scope": "read"})
    assert response.status_code == 400
    assert not ApiKey.objects.exists()


def test_revoke_stops_the_key_and_keeps_it_listed(client_for, owner):
    from django.test import Client

    client = client_for(owner)
    secret = client.post(URL, {"name": "Old sync", "scope": "read"}).context["secret"]
    key = ApiKey.objects.get()
    response = client.post(f"{URL}keys/{key.pk}/revoke/")
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert SecurityEvent.objects.filter(kind=EventKind.API_KEY_REVOKED, data__key=key.prefix).exists()
    page = client.get(URL).content.decode()
    assert "Old sync" in page and "Revoked" in page
    api = Client(HTTP_HOST="acme.localhost", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/contacts/").status_code == 401


def test_last_use_is_shown(client_for, owner, in_acme):
    from django.utils import timezone

    client = client_for(owner)
    client.post(URL, {"name": "Sync", "scope": "read"})
    assert "Never" in client.get(URL).content.decode()
    ApiKey.objects.update(last_used_at=timezone.now() - timezone.timedelta(hours=3))
    assert "3\xa0hours ago" in client.get(URL).content.decode()


def test_sales_reps_and_managers_cannot_manage_keys(client_for, sales_rep, in_acme):
    assert client_for(sales_rep).get(URL).status_code == 403
    assert client_for(sales_rep).post(URL, {"name": "x", "scope": "read_write"}).status_code == 403
    assert not ApiKey.objects.exists()


def test_the_tab_is_there_for_admins_only(client_for, admin, sales_rep):
    assert 'href="/settings/integrations/"' in client_for(admin).get("/settings/").content.decode() or \
        'href="/settings/integrations/"' in client_for(admin).get(URL).content.decode()
    from themes.navigation import settings_tabs_for

    assert "integrations" in [t.key for t in settings_tabs_for(admin)]
    assert "integrations" not in [t.key for t in settings_tabs_for(sales_rep)]


def test_the_page_in_bulgarian(client_for, owner):
    client = client_for(owner)
    type(owner).objects.filter(pk=owner.pk).update(language="bg")
    page = client.get(URL).content.decode()
    assert "API ключове" in page


def test_no_key_while_impersonating(platform_staff, owner, tenant_a):
    """A platform admin acting as the owner must not leave with a key that outlives the
    time-limited impersonation."""
    from django.db import connection

    from shared_apps.accounts.models import Membership
    from tests.accounts.test_review_fixes import _impersonating

    app = _impersonating(platform_staff, Membership.objects.get(user=owner, tenant=tenant_a))
    response = app.post(URL, {"name": "Backdoor", "scope": "read_write"})
    assert response.status_code == 400
    assert "act as another member" in response.content.decode()
    connection.set_tenant(tenant_a)
    assert not ApiKey.objects.exists()
