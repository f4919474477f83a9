"""Staff invite a contact from its page; the customer accepts (address verified, access
active, optional password) and is signed in. Re-send, disable and enable; the timeline."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client
from django.utils import timezone

from portal.models import PortalAccess, PortalToken
from shared_apps.accounts.models import User
from tenant_apps.activities.models import Activity
from tenant_apps.contacts.models import Contact
from tests.helpers import sign_in
from tests.portal.mail import html_of, link_path, text_of

pytestmark = pytest.mark.django_db
HOST = "acme.portal.localhost"
NEW_PASSWORD = "a-long-portal-passphrase-42"


@pytest.fixture
def contact(in_acme, owner):
    return Contact.objects.create(first_name="Paula", last_name="Prospect", email="Paula@Prospect.test", owner=owner,
                                  created_by=owner)


def _staff(user, tenant):
    client = Client(HTTP_HOST="acme.localhost")
    sign_in(client, user, tenant=tenant)
    connection.set_tenant(tenant)
    return client


def _invite(client, contact):
    return client.post(f"/contacts/{contact.pk}/portal/invite/")


def test_a_sales_rep_invites_a_contact_and_it_shows_on_the_page(contact, tenant_a, sales_rep, mailbox):
    # given
    client = _staff(sales_rep, tenant_a)
    assert "Invite to portal" in client.get(f"/contacts/{contact.pk}/").content.decode()
    # when
    response = _invite(client, contact)
    # then
    assert response.status_code == 302
    connection.set_tenant(tenant_a)
    access = PortalAccess.objects.get(contact=contact)
    assert access.status == "invited" and access.invited_by_id == sales_rep.pk
    user = User.objects.get(pk=access.user_id)
    assert user.email == "paula@prospect.test" and not user.has_usable_password()
    assert not EmailAddress.objects.get(user=user).verified
    activity = Activity.objects.get(contact=contact, event="portal_invited")
    assert activity.author_id == sales_rep.pk
    page = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "Invited" in page and "Send the invitation again" in page
    assert "Invited to the customer portal (paula@prospect.test)" in client.get(f"/contacts/{contact.pk}/").content.decode()
    [message] = mailbox()
    assert message["To"] == "paula@prospect.test"
    assert "Acme Ltd" in message["From"]
    assert "Acme Ltd" in html_of(message)
    assert "/invitation/" in text_of(message)


def test_the_invitation_is_accepted_with_a_password(contact, tenant_a, sales_rep, mailbox):
    _invite(_staff(sales_rep, tenant_a), contact)
    path = link_path(mailbox()[0], "/invitation/")
    connection.set_schema_to_public()
    customer = Client(HTTP_HOST=HOST)
    page = customer.get(path)
    assert page.status_code == 200 and "paula@prospect.test" in page.content.decode()
    response = customer.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert 'action="/logout/"' in customer.get("/").content.decode()
    connection.set_tenant(tenant_a)
    access = PortalAccess.objects.select_related("user").get(contact=contact)
    assert access.status == "active" and access.activated_at is not None
    assert access.user.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.get(user=access.user).verified
    assert Activity.objects.filter(contact=contact, event="portal_joined").exists()
    # the link worked once
    connection.set_schema_to_public()
    again = Client(HTTP_HOST=HOST).post(path, {"password1": "", "password2": ""})
    assert again.status_code == 410
    # and the password now signs in
    assert Client(HTTP_HOST=HOST).post("/login/", {"email": "paula@prospect.test", "password": NEW_PASSWORD}).status_code == 302


def test_accepting_without_a_password_signs_in_by_link_only(contact, tenant_a, sales_rep, mailbox):
    _invite(_staff(sales_rep, tenant_a), contact)
    path = link_path(mailbox()[0], "/invitation/")
    connection.set_schema_to_public()
    customer = Client(HTTP_HOST=HOST)
    assert customer.post(path, {"password1": "", "password2": ""}).status_code == 302
    connection.set_tenant(tenant_a)
    assert not PortalAccess.objects.get(contact=contact).user.has_usable_password()


def test_a_weak_password_keeps_the_link_usable(contact, tenant_a, sales_rep, mailbox):
    _invite(_staff(sales_rep, tenant_a), contact)
    path = link_path(mailbox()[0], "/invitation/")
    connection.set_schema_to_public()
    customer = Client(HTTP_HOST=HOST)
    response = customer.post(path, {"password1": "123", "password2": "123"})
    assert response.status_code == 400
    connection.set_tenant(tenant_a)
    assert PortalAccess.objects.get(contact=contact).status == "invited"
    assert PortalToken.objects.get(purpose="invite").used_at is None
    connection.set_schema_to_public()
    assert customer.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 302


def test_an_invitation_expires_after_seven_days(contact, tenant_a, sales_rep, mailbox):
    _invite(_staff(sales_rep, tenant_a), contact)
    path = link_path(mailbox()[0], "/invitation/")
    token = PortalToken.objects.get(purpose="invite")
    assert timedelta(days=6, hours=23) < token.expires_at - token.created_at <= timedelta(days=7)
    PortalToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    connection.set_schema_to_public()
    response = Client(HTTP_HOST=HOST).get(path)
    assert response.status_code == 410 and "expired" in response.content.decode()


def test_resending_replaces_the_link(contact, tenant_a, sales_rep, mailbox):
    client = _staff(sales_rep, tenant_a)
    _invite(client, contact)
    assert client.post(f"/contacts/{contact.pk}/portal/resend/").status_code == 302
    first, second = (link_path(m, "/invitation/") for m in mailbox())
    connection.set_schema_to_public()
    assert Client(HTTP_HOST=HOST).get(first).status_code == 410
    assert Client(HTTP_HOST=HOST).get(second).status_code == 200


def test_a_read_only_member_cannot_invite(contact, tenant_a, read_only, mailbox):
    client = _staff(read_only, tenant_a)
    assert "Invite to portal" not in client.get(f"/contacts/{contact.pk}/").content.decode()
    assert _invite(client, contact).status_code == 403
    connection.set_tenant(tenant_a)
    assert not PortalAccess.objects.exists()
    assert mailbox() == []


def test_a_contact_without_email_is_refused_clearly(in_acme, tenant_a, sales_rep, owner, mailbox):
    contact = Contact.objects.create(first_name="No", last_name="Mail", owner=owner, created_by=owner)
    client = _staff(sales_rep, tenant_a)
    response = _invite(client, contact)
    assert response.status_code == 302
    assert "no e-mail address" in client.get(response["Location"]).content.decode()
    connection.set_tenant(tenant_a)
    assert not PortalAccess.objects.exists()
    assert mailbox() == []


def test_disabling_ends_the_customers_sessions_and_is_on_the_timeline(tenant_a, customer, sales_rep, mailbox):
    from tests.portal_helpers import portal_client_for

    connection.set_schema_to_public()
    portal = portal_client_for(customer, tenant_a)
    assert 'action="/logout/"' in portal.get("/").content.decode()
    client = _staff(sales_rep, tenant_a)
    assert client.post(f"/contacts/{customer.contact_id}/portal/disable/").status_code == 302
    connection.set_tenant(tenant_a)
    customer.refresh_from_db()
    assert customer.status == "disabled"
    assert Activity.objects.filter(contact_id=customer.contact_id, event="portal_disabled").exists()
    assert "Enable access" in client.get(f"/contacts/{customer.contact_id}/").content.decode()
    connection.set_schema_to_public()
    assert 'action="/logout/"' not in portal.get("/").content.decode()
    # enabled again: active at once (the customer had accepted before)
    client.post(f"/contacts/{customer.contact_id}/portal/enable/")
    connection.set_tenant(tenant_a)
    customer.refresh_from_db()
    assert customer.status == "active"


def test_one_address_cannot_be_two_customers(in_acme, tenant_a, customer, sales_rep, owner, mailbox):
    twin = Contact.objects.create(first_name="Nora", last_name="Twin", email="nora@northwind.test", owner=owner,
                                  created_by=owner)
    client = _staff(sales_rep, tenant_a)
    response = _invite(client, twin)
    assert "already has portal access" in client.get(response["Location"]).content.decode()
    connection.set_tenant(tenant_a)
    assert not PortalAccess.objects.filter(contact=twin).exists()


def test_a_sales_rep_who_cannot_see_the_contact_cannot_invite_it(restricted, tenant_a, owner, sales_rep, mailbox):
    hidden = Contact.objects.create(first_name="Hidden", email="hidden@secret.test", owner=owner, created_by=owner)
    client = _staff(sales_rep, tenant_a)
    assert _invite(client, hidden).status_code == 404
    assert mailbox() == []
