"""The customer's Account page (set or change a password) and password reset by e-mail."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from portal.models import PortalToken
from tests.helpers import PASSWORD
from tests.portal.mail import link_path

pytestmark = pytest.mark.django_db
HOST = "acme.portal.localhost"
NEW = "another-long-passphrase-77"


def test_the_account_page_is_in_the_portal_menu(customer_client):
    page = customer_client.get("/").content.decode()
    assert 'href="/account/"' in page
    assert "nora@northwind.test" in customer_client.get("/account/").content.decode()


def test_changing_the_password_needs_the_current_one(tenant_a, customer, customer_client):
    wrong = customer_client.post("/account/", {"current_password": "nope", "password1": NEW, "password2": NEW})
    assert wrong.status_code == 400 and "current password is not right" in wrong.content.decode()
    right = customer_client.post("/account/", {"current_password": PASSWORD, "password1": NEW, "password2": NEW})
    assert right.status_code == 302
    assert customer_client.get("/account/").status_code == 200  # still signed in
    customer.user.refresh_from_db()
    assert customer.user.check_password(NEW)


def test_a_customer_without_a_password_sets_one(tenant_a, customer, customer_client):
    customer.user.set_unusable_password()
    customer.user.save()
    page = customer_client.get("/account/")
    if page.status_code == 302:  # the password change ended the session: sign in again
        from tests.portal_helpers import portal_client_for

        customer_client = portal_client_for(customer, tenant_a)
        page = customer_client.get("/account/")
    assert "current_password" not in page.content.decode()
    assert customer_client.post("/account/", {"password1": NEW, "password2": NEW}).status_code == 302
    customer.user.refresh_from_db()
    assert customer.user.check_password(NEW)


def test_a_password_reset_by_email(tenant_a, customer, mailbox):
    client = Client(HTTP_HOST=HOST)
    assert client.post("/password/reset/", {"email": customer.user.email}).status_code == 200
    assert client.post("/password/reset/", {"email": "unknown@nowhere.test"}).status_code == 200
    [message] = mailbox()
    path = link_path(message, "/password/reset/")
    assert client.get(path).status_code == 200
    assert client.post(path, {"password1": NEW, "password2": NEW}).status_code == 302
    customer.user.refresh_from_db()
    assert customer.user.check_password(NEW)
    assert Client(HTTP_HOST=HOST).post(path, {"password1": NEW, "password2": NEW}).status_code == 410


def test_an_expired_reset_link_is_refused(tenant_a, customer, mailbox):
    client = Client(HTTP_HOST=HOST)
    client.post("/password/reset/", {"email": customer.user.email})
    path = link_path(mailbox()[0], "/password/reset/")
    connection.set_tenant(tenant_a)
    PortalToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    connection.set_schema_to_public()
    response = client.post(path, {"password1": NEW, "password2": NEW})
    assert response.status_code == 410
    customer.user.refresh_from_db()
    assert customer.user.check_password(PASSWORD)


def test_a_reset_link_of_the_wrong_purpose_is_refused(tenant_a, customer, mailbox):
    client = Client(HTTP_HOST=HOST)
    client.post("/login/", {"email": customer.user.email})
    token = link_path(mailbox()[0], "/login/link/").rstrip("/").rsplit("/", 1)[-1]
    assert client.post(f"/password/reset/{token}/", {"password1": NEW, "password2": NEW}).status_code == 404


def test_wrong_passwords_are_rate_limited_per_address(tenant_a, customer):
    client = Client(HTTP_HOST=HOST)
    codes = [client.post("/login/", {"email": customer.user.email, "password": "wrong"}).status_code for _ in range(6)]
    assert codes == [400] * 5 + [429]
    # the right password waits too: the limit is on the address
    assert client.post("/login/", {"email": customer.user.email, "password": PASSWORD}).status_code == 429
