"""Self-signup: known contacts' addresses only, when the workspace allows it, confirmed by
an e-mailed link; the same answer for any address. The settings page that turns it on."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client

from portal.models import PortalAccess, PortalSettings
from tenant_apps.activities.models import Activity
from tenant_apps.contacts.models import Contact, ContactEmail
from tests.helpers import sign_in
from tests.portal.mail import link_path

pytestmark = pytest.mark.django_db
HOST = "acme.portal.localhost"


@pytest.fixture
def contact(in_acme, owner):
    contact = Contact.objects.create(first_name="Sid", last_name="Signup", email="sid@work.test", owner=owner,
                                     created_by=owner)
    ContactEmail.objects.create(contact=contact, email="sid@work.test", is_primary=True)
    ContactEmail.objects.create(contact=contact, email="Sid.Home@Private.test", label="home")
    connection.set_schema_to_public()
    return contact


@pytest.fixture
def open_signup(tenant_a):
    connection.set_tenant(tenant_a)
    PortalSettings.objects.update_or_create(singleton=True, defaults={"self_signup": True})
    connection.set_schema_to_public()


def test_signup_is_closed_unless_the_workspace_opens_it(tenant_a, contact, mailbox):
    client = Client(HTTP_HOST=HOST)
    assert client.get("/signup/").status_code == 404
    assert client.post("/signup/", {"email": "sid@work.test"}).status_code == 404
    assert "Sign up" not in client.get("/login/").content.decode()
    assert mailbox() == []


def test_a_known_contact_signs_up_with_a_second_address(tenant_a, contact, open_signup, mailbox):
    # given
    client = Client(HTTP_HOST=HOST)
    assert "/signup/" in client.get("/login/").content.decode()
    # when
    response = client.post("/signup/", {"email": "sid.home@private.test"})
    # then
    assert response.status_code == 200 and "Check your inbox" in response.content.decode()
    [message] = mailbox()
    assert message["To"] == "sid.home@private.test"
    path = link_path(message, "/signup/")
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    assert 'action="/logout/"' in client.get("/").content.decode()
    connection.set_tenant(tenant_a)
    access = PortalAccess.objects.select_related("user").get(contact=contact)
    assert access.status == "active" and access.user.email == "sid.home@private.test"
    assert EmailAddress.objects.get(user=access.user).verified
    assert Activity.objects.filter(contact=contact, event="portal_signed_up").exists()
    connection.set_schema_to_public()
    assert Client(HTTP_HOST=HOST).post(path).status_code == 410


def test_an_unknown_address_gets_the_same_answer_and_no_mail(tenant_a, contact, open_signup, mailbox):
    known = Client(HTTP_HOST=HOST).post("/signup/", {"email": "sid@work.test"})
    unknown = Client(HTTP_HOST=HOST).post("/signup/", {"email": "stranger@else.test"})
    assert known.status_code == unknown.status_code == 200
    clean = lambda r, e: re.sub(r'nonce="[^"]*"', "", r.content.decode().replace(e, "X")).split('name="csrfmiddlewaretoken"')[0]  # noqa: E731, E501
    assert clean(known, "sid@work.test") == clean(unknown, "stranger@else.test")
    assert [m["To"] for m in mailbox()] == ["sid@work.test"]


def test_an_existing_customer_gets_a_sign_in_link_instead(tenant_a, customer, open_signup, mailbox):
    assert Client(HTTP_HOST=HOST).post("/signup/", {"email": customer.user.email}).status_code == 200
    [message] = mailbox()
    assert "/login/link/" in link_path(message, "/login/link/")


def test_a_contact_of_another_workspace_cannot_sign_up_here(tenant_a, tenant_b, open_signup, outsider, mailbox):
    connection.set_tenant(tenant_b)
    Contact.objects.create(first_name="Gil", email="gil@globex-client.test", owner=outsider, created_by=outsider)
    connection.set_schema_to_public()
    assert Client(HTTP_HOST=HOST).post("/signup/", {"email": "gil@globex-client.test"}).status_code == 200
    assert mailbox() == []


def test_signup_requests_are_rate_limited(tenant_a, contact, open_signup, mailbox):
    client = Client(HTTP_HOST=HOST)
    codes = [client.post("/signup/", {"email": "sid@work.test"}).status_code for _ in range(6)]
    assert codes[-1] == 429 and codes[:5] == [200] * 5


def test_turning_signup_off_stops_open_links(tenant_a, contact, open_signup, admin, mailbox):
    Client(HTTP_HOST=HOST).post("/signup/", {"email": "sid@work.test"})
    path = link_path(mailbox()[0], "/signup/")
    app = Client(HTTP_HOST="acme.localhost")
    sign_in(app, admin, tenant=tenant_a)
    assert app.post("/settings/portal/", {}).status_code == 302
    connection.set_tenant(tenant_a)
    assert PortalSettings.objects.get().self_signup is False
    connection.set_schema_to_public()
    assert Client(HTTP_HOST=HOST).post(path).status_code == 410
    connection.set_tenant(tenant_a)
    assert not PortalAccess.objects.exists()


def test_the_settings_page_lists_portal_users(tenant_a, admin, customer, other_customer, django_assert_max_num_queries):
    app = Client(HTTP_HOST="acme.localhost")
    sign_in(app, admin, tenant=tenant_a)
    assert app.post("/settings/portal/", {"self_signup": "on"}).status_code == 302
    with django_assert_max_num_queries(25):
        page = app.get("/settings/portal/").content.decode()
    assert "nora@northwind.test" in page and "otto@initech.test" in page
    assert 'name="self_signup"' in page and "checked" in page
    connection.set_tenant(tenant_a)
    assert PortalSettings.objects.get().self_signup is True


def test_the_settings_list_costs_the_same_for_more_users(tenant_a, admin, customer):
    from tests.portal_helpers import make_customer

    app = Client(HTTP_HOST="acme.localhost")
    sign_in(app, admin, tenant=tenant_a)
    app.get("/settings/portal/")
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(conn) as one:
        app.get("/settings/portal/")
    for i in range(3):
        make_customer(tenant_a, email=f"more{i}@many.test", company=f"Many {i}", name=f"More {i}")
    with CaptureQueriesContext(conn) as four:
        page = app.get("/settings/portal/").content.decode()
    assert "more2@many.test" in page
    assert len(four) == len(one)


def test_a_sales_rep_cannot_open_the_portal_settings(tenant_a, sales_rep):
    app = Client(HTTP_HOST="acme.localhost")
    sign_in(app, sales_rep, tenant=tenant_a)
    assert app.get("/settings/portal/").status_code == 403
    assert app.post("/settings/portal/", {"self_signup": "on"}).status_code == 403
