"""Owners and admins invite by e-mail with a role; the invitee joins once."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from shared_apps.accounts.models import Invitation, Membership, User
from shared_apps.audit.models import EventKind, SecurityEvent
from tests.helpers import PASSWORD, link_in, make_user, sign_in


def _invite(client, email, role="sales"):
    return client.post("/settings/members/", {"email": email, "role": role})


def _token_path(message):
    link = link_in(message)
    assert link.startswith("http://acme.localhost/invite/")
    return link.split("acme.localhost", 1)[1]


@pytest.mark.django_db
class TestSendingInvitations:
    def test_owner_invites_and_the_mail_arrives_over_smtp(self, app_client, owner, tenant_a, mailbox):
        sign_in(app_client, owner, tenant=tenant_a)
        response = _invite(app_client, "New.Person@Example.com")
        assert response.status_code == 302
        invitation = Invitation.objects.get(tenant=tenant_a)
        assert invitation.email == "new.person@example.com"
        assert len(invitation.token_hash) == 64
        [message] = mailbox()
        assert message["To"] == "new.person@example.com"
        assert "Acme Ltd" in message["Subject"]
        assert SecurityEvent.objects.filter(kind=EventKind.INVITATION_SENT, tenant=tenant_a).exists()

    def test_invitation_mail_is_in_the_workspace_language(self, app_client, owner, tenant_a, mailbox):
        from tenant_apps.workspace.models import WorkspaceProfile

        tenant_a.activate()
        WorkspaceProfile.objects.update(default_language="bg")
        tenant_a.deactivate()
        sign_in(app_client, owner, tenant=tenant_a)
        _invite(app_client, "bg@example.com")
        [message] = mailbox()
        assert "Приемете поканата" in message.get_body(preferencelist=("plain",)).get_content()

    def test_admin_cannot_invite_an_owner(self, app_client, admin, tenant_a):
        sign_in(app_client, admin, tenant=tenant_a)
        response = _invite(app_client, "boss@example.com", role="owner")
        assert response.status_code == 200
        assert not Invitation.objects.exists()

    def test_sales_rep_cannot_invite(self, app_client, sales_rep, tenant_a):
        sign_in(app_client, sales_rep, tenant=tenant_a)
        assert _invite(app_client, "x@example.com").status_code == 403
        assert not Invitation.objects.exists()

    def test_inviting_a_member_again_is_refused(self, app_client, owner, sales_rep, tenant_a):
        sign_in(app_client, owner, tenant=tenant_a)
        response = _invite(app_client, sales_rep.email)
        assert "already a member" in response.content.decode()

    def test_a_second_open_invitation_for_the_same_email_is_refused(self, app_client, owner, tenant_a):
        sign_in(app_client, owner, tenant=tenant_a)
        _invite(app_client, "twice@example.com")
        response = _invite(app_client, "TWICE@example.com")
        assert "already has an open invitation" in response.content.decode()
        assert Invitation.objects.count() == 1

    def test_unverified_inviter_must_confirm_first(self, app_client, owner, tenant_a):
        from allauth.account.models import EmailAddress

        EmailAddress.objects.filter(user=owner).update(verified=False)
        sign_in(app_client, owner, tenant=tenant_a)
        response = _invite(app_client, "x@example.com")
        assert "confirm your own e-mail address" in response.content.decode()

    def test_bad_email_is_refused(self, app_client, owner, tenant_a):
        sign_in(app_client, owner, tenant=tenant_a)
        response = _invite(app_client, "not-an-email")
        assert response.status_code == 200
        assert "Enter a valid email address" in response.content.decode()


@pytest.mark.django_db
class TestAcceptingInvitations:
    def _sent(self, app_client, owner, tenant_a, mailbox, email="new@example.com", role="manager"):
        sign_in(app_client, owner, tenant=tenant_a)
        _invite(app_client, email, role)
        return _token_path(mailbox()[-1])

    def test_a_new_person_sets_a_password_and_lands_signed_in(self, app_client, owner, tenant_a, mailbox):
        path = self._sent(app_client, owner, tenant_a, mailbox)
        invitee = Client(HTTP_HOST="acme.localhost")
        page = invitee.get(path)
        assert "Join Acme Ltd" in page.content.decode()
        response = invitee.post(path, {"full_name": "New Person", "password1": PASSWORD, "password2": PASSWORD})
        assert response.status_code == 302
        assert invitee.get("/").status_code == 200
        user = User.objects.get(email="new@example.com")
        assert Membership.objects.get(user=user, tenant=tenant_a).role == "manager"
        assert Invitation.objects.get().accepted_by == user

    def test_a_weak_password_is_refused_and_nothing_is_created(self, app_client, owner, tenant_a, mailbox):
        path = self._sent(app_client, owner, tenant_a, mailbox)
        invitee = Client(HTTP_HOST="acme.localhost")
        response = invitee.post(path, {"full_name": "New Person", "password1": "123", "password2": "123"})
        assert response.status_code == 200
        assert "too short" in response.content.decode()
        assert not User.objects.filter(email="new@example.com").exists()
        assert Invitation.objects.get().accepted_at is None

    def test_an_existing_account_joins_with_its_password(self, app_client, owner, outsider, tenant_a, mailbox, password):
        path = self._sent(app_client, owner, tenant_a, mailbox, email=outsider.email, role="sales")
        invitee = Client(HTTP_HOST="acme.localhost")
        assert "already have a Tessera account" in invitee.get(path).content.decode()
        response = invitee.post(path, {"password": "wrong-one-1234"})
        assert "not correct" in response.content.decode()
        assert not Membership.objects.filter(user=outsider, tenant=tenant_a).exists()
        response = invitee.post(path, {"password": password})
        assert response.status_code == 302
        assert Membership.objects.get(user=outsider, tenant=tenant_a).role == "sales"
        assert invitee.get("/").status_code == 200

    def test_an_existing_account_with_2fa_still_passes_it(self, app_client, owner, outsider, tenant_a, mailbox, password):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=outsider, name="app", confirmed=True)
        User.objects.filter(pk=outsider.pk).update(two_factor_enabled=True)
        path = self._sent(app_client, owner, tenant_a, mailbox, email=outsider.email)
        invitee = Client(HTTP_HOST="acme.localhost")
        response = invitee.post(path, {"password": password})
        assert response["Location"] == "/account/2fa/authenticate/"
        assert invitee.get("/").status_code == 302

    def test_a_link_works_once(self, app_client, owner, tenant_a, mailbox):
        path = self._sent(app_client, owner, tenant_a, mailbox)
        Client(HTTP_HOST="acme.localhost").post(path, {"full_name": "A", "password1": PASSWORD, "password2": PASSWORD})
        response = Client(HTTP_HOST="acme.localhost").get(path)
        assert response.status_code == 410
        assert "already been accepted" in response.content.decode()

    def test_an_expired_link_is_refused(self, app_client, owner, tenant_a, mailbox):
        path = self._sent(app_client, owner, tenant_a, mailbox)
        Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
        response = Client(HTTP_HOST="acme.localhost").post(path, {"full_name": "A", "password1": PASSWORD, "password2": PASSWORD})
        assert response.status_code == 410
        assert "expired" in response.content.decode()
        assert not User.objects.filter(email="new@example.com").exists()

    def test_a_forged_link_is_refused(self):
        response = Client(HTTP_HOST="acme.localhost").get("/invite/this-is-not-a-real-token/")
        assert response.status_code == 404
        assert "not valid" in response.content.decode()

    def test_a_withdrawn_link_is_refused(self, app_client, owner, tenant_a, mailbox):
        path = self._sent(app_client, owner, tenant_a, mailbox)
        invitation = Invitation.objects.get()
        app_client.post(f"/settings/invitations/{invitation.pk}/revoke/")
        response = Client(HTTP_HOST="acme.localhost").get(path)
        assert response.status_code == 410
        assert "withdrawn" in response.content.decode()

    def test_a_link_for_acme_does_nothing_on_globex(self, app_client, owner, tenant_a, mailbox):
        path = self._sent(app_client, owner, tenant_a, mailbox)
        assert Client(HTTP_HOST="globex.localhost").get(path).status_code == 404

    def test_resend_replaces_the_link(self, app_client, owner, tenant_a, mailbox):
        old = self._sent(app_client, owner, tenant_a, mailbox)
        invitation = Invitation.objects.get()
        app_client.post(f"/settings/invitations/{invitation.pk}/resend/")
        new = _token_path(mailbox()[-1])
        assert new != old
        assert Client(HTTP_HOST="acme.localhost").get(old).status_code == 404
        assert Client(HTTP_HOST="acme.localhost").get(new).status_code == 200

    def test_signed_in_as_someone_else(self, app_client, owner, sales_rep, tenant_a, mailbox):
        path = self._sent(app_client, owner, tenant_a, mailbox)
        other = Client(HTTP_HOST="acme.localhost")
        sign_in(other, sales_rep, tenant=tenant_a)
        assert "for someone else" in other.get(path).content.decode()
