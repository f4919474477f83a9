"""Sign-in by e-mailed link: 15 minutes, once, in the workspace it was made for, rate-limited,
and the same answer whether or not the address is a customer's."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from portal.models import PortalToken
from tests.portal.mail import link_path, text_of
from tests.portal_helpers import make_customer

pytestmark = pytest.mark.django_db
HOST = "acme.portal.localhost"


def _ask(client, email):
    return client.post("/login/", {"email": email})


def _signed_in(client) -> bool:
    return 'action="/logout/"' in client.get("/").content.decode()


def test_a_customer_signs_in_with_the_emailed_link(tenant_a, customer, mailbox):
    # given
    client = Client(HTTP_HOST=HOST)
    response = _ask(client, "Nora@Northwind.test")
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    [message] = mailbox()
    assert message["To"] == "nora@northwind.test"
    assert "15 minutes" in text_of(message)
    path = link_path(message, "/login/link/")
    # when: the link's page asks for a click (mail scanners only GET), the click signs in
    assert client.get(path).status_code == 200
    assert not _signed_in(client)
    response = client.post(path)
    # then
    assert response.status_code == 302 and response["Location"] == "/"
    assert _signed_in(client)
    connection.set_tenant(tenant_a)
    customer.refresh_from_db()
    assert customer.last_login_at is not None


def test_only_the_hash_of_the_token_is_stored(tenant_a, customer, mailbox):
    _ask(Client(HTTP_HOST=HOST), customer.user.email)
    token = link_path(mailbox()[0], "/login/link/").rstrip("/").rsplit("/", 1)[-1]
    connection.set_tenant(tenant_a)
    row = PortalToken.objects.get(purpose="login")
    assert row.token_hash != token and token not in row.token_hash
    assert row.access_id == customer.pk
    assert timedelta(minutes=14) < row.expires_at - row.created_at <= timedelta(minutes=15)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(tenant_a, customer, mailbox):
    known = _ask(Client(HTTP_HOST=HOST), customer.user.email).content.decode().replace(customer.user.email, "X")
    unknown = _ask(Client(HTTP_HOST=HOST), "nobody@nowhere.test").content.decode().replace("nobody@nowhere.test", "X")
    strip = lambda html: re.sub(r'nonce="[^"]*"', "", html).split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert strip(known) == strip(unknown)
    assert [m["To"] for m in mailbox()] == [customer.user.email]


def test_a_used_link_does_not_work_again(tenant_a, customer, mailbox):
    client = Client(HTTP_HOST=HOST)
    _ask(client, customer.user.email)
    path = link_path(mailbox()[0], "/login/link/")
    assert client.post(path).status_code == 302
    other = Client(HTTP_HOST=HOST)
    response = other.post(path)
    assert response.status_code == 410
    page = response.content.decode()
    assert "already been used" in page
    assert "E-mail me a new sign-in link" in page
    assert not _signed_in(other)


def test_an_expired_link_does_not_work(tenant_a, customer, mailbox):
    client = Client(HTTP_HOST=HOST)
    _ask(client, customer.user.email)
    path = link_path(mailbox()[0], "/login/link/")
    connection.set_tenant(tenant_a)
    PortalToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    connection.set_schema_to_public()
    response = client.post(path)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not _signed_in(client)


def test_a_new_link_replaces_the_previous_one(tenant_a, customer, mailbox):
    client = Client(HTTP_HOST=HOST)
    _ask(client, customer.user.email)
    _ask(client, customer.user.email)
    first, second = (link_path(m, "/login/link/") for m in mailbox())
    assert client.post(first).status_code == 410
    assert client.post(second).status_code == 302


def test_a_link_of_acme_does_nothing_on_globex(tenant_a, tenant_b, customer, mailbox):
    _ask(Client(HTTP_HOST=HOST), customer.user.email)
    path = link_path(mailbox()[0], "/login/link/")
    elsewhere = Client(HTTP_HOST="globex.portal.localhost")
    response = elsewhere.post(path)
    assert response.status_code == 404
    assert 'action="/logout/"' not in elsewhere.get("/").content.decode()
    # and it still works where it belongs
    assert Client(HTTP_HOST=HOST).post(path).status_code == 302


def test_a_disabled_customer_gets_no_link_and_an_open_link_stops(tenant_a, customer, mailbox):
    client = Client(HTTP_HOST=HOST)
    _ask(client, customer.user.email)
    path = link_path(mailbox()[0], "/login/link/")
    connection.set_tenant(tenant_a)
    from portal.services import portal_access_disable
    from shared_apps.accounts.models import Membership

    owner = Membership.objects.get(tenant=tenant_a, role="owner").user
    portal_access_disable(access=customer, actor=owner)
    connection.set_schema_to_public()
    assert client.post(path).status_code == 410
    _ask(client, customer.user.email)
    assert len(mailbox()) == 1


def test_a_staff_member_gets_no_link(tenant_a, owner, mailbox):
    response = _ask(Client(HTTP_HOST=HOST), owner.email)
    assert response.status_code == 200
    assert mailbox() == []


def test_link_requests_are_rate_limited_per_address(tenant_a, customer, mailbox):
    client = Client(HTTP_HOST=HOST)
    answers = [_ask(client, customer.user.email).status_code for _ in range(6)]
    assert answers == [200] * 5 + [429]
    assert len(mailbox()) == 5
    page = _ask(client, customer.user.email).content.decode()
    assert "Too many attempts" in page


def test_the_rate_limit_page_is_in_the_users_language(tenant_a, customer):
    client = Client(HTTP_HOST=HOST, HTTP_ACCEPT_LANGUAGE="bg")
    for _ in range(5):
        _ask(client, customer.user.email)
    response = _ask(client, customer.user.email)
    assert response.status_code == 429
    assert 'lang="bg"' in response.content.decode()
    assert "Too many attempts" not in response.content.decode()


def test_two_clicks_on_one_link_sign_in_once(tenant_a, customer, mailbox):
    """The consume is a conditional UPDATE: the second of two uses finds nothing to take."""
    from portal.errors import PortalLinkError
    from portal.services import portal_login_link_consume

    _ask(Client(HTTP_HOST=HOST), customer.user.email)
    token = link_path(mailbox()[0], "/login/link/").rstrip("/").rsplit("/", 1)[-1]
    connection.set_tenant(tenant_a)
    assert portal_login_link_consume(token=token).pk == customer.pk
    with pytest.raises(PortalLinkError) as refused:
        portal_login_link_consume(token=token)
    assert refused.value.code == "link_used"


def test_the_portal_of_a_plan_without_it_sends_nothing(tenant_a, customer, mailbox):
    from billing.models import Plan
    from tenants.models import Tenant

    Tenant.objects.filter(pk=tenant_a.pk).update(plan=Plan.objects.get(code="free"))
    response = _ask(Client(HTTP_HOST=HOST), customer.user.email)
    assert response.status_code == 404
    assert mailbox() == []


def test_another_workspaces_customer_gets_no_link_here(tenant_a, tenant_b, mailbox):
    make_customer(tenant_b, email="bea@umbrella.test", company="Umbrella", name="Bea Beyond")
    assert _ask(Client(HTTP_HOST=HOST), "bea@umbrella.test").status_code == 200
    assert mailbox() == []
