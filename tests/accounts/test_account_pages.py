"""The signed-in user's pages render in the right layout on every host."""

import pytest
from django.test import Client

from tests.helpers import sign_in


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/account/profile/", "/account/security/", "/account/workspaces/",
                                  "/accounts/password/change/", "/accounts/email/", "/account/2fa/setup/"])
def test_account_pages_on_a_workspace_host_use_the_app_layout(path, app_client, owner, tenant_a, django_assert_max_num_queries):
    sign_in(app_client, owner, tenant=tenant_a)
    with django_assert_max_num_queries(30):
        response = app_client.get(path)
    assert response.status_code == 200
    assert 'class="sidebar"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/account/security/", "/account/workspaces/", "/accounts/password/change/"])
def test_account_pages_on_the_public_host_use_the_site_layout(path, owner):
    client = Client(HTTP_HOST="localhost")
    sign_in(client, owner)
    response = client.get(path)
    assert response.status_code == 200
    assert 'class="site-header"' in response.content.decode()


@pytest.mark.django_db
def test_workspaces_page_lists_only_mine(owner, outsider):
    client = Client(HTTP_HOST="localhost")
    sign_in(client, owner)
    page = client.get("/account/workspaces/").content.decode()
    assert "Acme Ltd" in page and "Globex" not in page


@pytest.mark.django_db
def test_password_change_works_and_is_logged(app_client, owner, tenant_a, password):
    from shared_apps.audit.models import EventKind, SecurityEvent

    sign_in(app_client, owner, tenant=tenant_a)
    response = app_client.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": "Brand-new-pass-77", "password2": "Brand-new-pass-77"},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("Brand-new-pass-77")
    assert SecurityEvent.objects.filter(kind=EventKind.PASSWORD_CHANGED, actor=owner).exists()


@pytest.mark.django_db
def test_signup_page_on_a_workspace_host_explains_invitations(app_client):
    page = app_client.get("/accounts/signup/").content.decode()
    assert "People join a workspace by invitation" in page
