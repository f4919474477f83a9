"""A link opens the portal only for the address it was mailed to, and a password set by
whoever claimed an address before its owner proved it never opens the portal."""

import pytest
from django.db import connection
from django.test import Client

from portal.models import PortalAccess
from shared_apps.accounts.models import User
from tenant_apps.contacts.models import Contact
from tests.helpers import PASSWORD, make_user, sign_in
from tests.portal.mail import link_path

pytestmark = pytest.mark.django_db
HOST = "acme.portal.localhost"


def _staff(user, tenant):
    client = Client(HTTP_HOST="acme.localhost")
    sign_in(client, user, tenant=tenant)
    connection.set_tenant(tenant)
    return client


def test_an_invitation_to_a_corrected_address_withdraws_the_old_link(in_acme, tenant_a, owner, mailbox):
    # given Paula invited at a mistyped address, then the address corrected and invited again
    contact = Contact.objects.create(first_name="Paula", last_name="P", email="paula@typo.test", owner=owner)
    staff = _staff(owner, tenant_a)
    staff.post(f"/contacts/{contact.pk}/portal/invite/")
    old_link = link_path(mailbox()[0], "/invitation/")
    connection.set_tenant(tenant_a)
    PortalAccess.objects.filter(contact=contact).update(status="disabled")
    Contact.objects.filter(pk=contact.pk).update(email="paula@right.test")
    staff.post(f"/contacts/{contact.pk}/portal/invite/")
    new_link = link_path(mailbox()[-1], "/invitation/")
    connection.set_schema_to_public()
    # when whoever reads the old mailbox follows the old link
    stranger = Client(HTTP_HOST=HOST)
    response = stranger.post(old_link, {"password1": "", "password2": ""})
    # then it opens nothing, and Paula's new link works
    assert response.status_code == 410
    assert 'action="/logout/"' not in stranger.get("/").content.decode()
    paula = Client(HTTP_HOST=HOST)
    assert paula.post(new_link, {"password1": "", "password2": ""}).status_code == 302
    connection.set_tenant(tenant_a)
    assert PortalAccess.objects.select_related("user").get(contact=contact).user.email == "paula@right.test"


def test_a_password_chosen_before_the_address_was_proven_never_opens_the_portal(in_acme, tenant_a, owner, mailbox):
    # given someone signed up on the public site with Vera's address and chose its password
    connection.set_schema_to_public()
    squatter = make_user("vera@victim.test", "Not Vera", verified=False, password=PASSWORD)
    connection.set_tenant(tenant_a)
    contact = Contact.objects.create(first_name="Vera", last_name="V", email="vera@victim.test", owner=owner)
    # when acme invites Vera and she accepts by link without choosing a password
    _staff(owner, tenant_a).post(f"/contacts/{contact.pk}/portal/invite/")
    link = link_path(mailbox()[0], "/invitation/")
    connection.set_schema_to_public()
    assert Client(HTTP_HOST=HOST).post(link, {"password1": "", "password2": ""}).status_code == 302
    # then the squatter's password is gone: it opens neither the portal nor anything else
    squatter.refresh_from_db()
    assert not squatter.has_usable_password()
    response = Client(HTTP_HOST=HOST).post("/login/", {"email": "vera@victim.test", "password": PASSWORD})
    assert response.status_code == 400


def test_an_unproven_address_cannot_sign_in_to_the_portal_with_a_password(tenant_a, owner):
    from tests.portal_helpers import make_customer

    access = make_customer(tenant_a, email="una@unproven.test", company="Unproven", name="Una U")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=access.user).update(verified=False)
    response = Client(HTTP_HOST=HOST).post("/login/", {"email": "una@unproven.test", "password": PASSWORD})
    assert response.status_code == 400
    assert User.objects.get(pk=access.user_id).has_usable_password()  # nothing else changed
