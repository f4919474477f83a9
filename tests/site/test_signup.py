"""Signing up a company: validation, the workspace, and the hand-off to its host."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from shared_apps.accounts.models import Membership, User
from shared_apps.audit.models import EventKind, SecurityEvent
from tenants.models import Tenant
from tests.helpers import PASSWORD, sign_in

GOOD = {"company_name": "Initech", "slug": "initech", "email": "peter@initech.test", "password": PASSWORD}


def _post(client, **changes):
    return client.post("/signup/", {**GOOD, **changes})


@pytest.mark.django_db
class TestSignup:
    def test_signup_creates_a_ready_workspace_and_hands_off_signed_in(self, public_client, mailbox):
        response = _post(public_client)
        assert response.status_code == 302
        target = urlsplit(response["Location"])
        assert target.netloc == "initech.localhost"
        tenant = Tenant.objects.get(slug="initech")
        assert tenant.is_ready and tenant.name == "Initech" and tenant.plan.code == "pro"  # a 14-day trial
        assert tenant.billing.status == "trialing"
        assert {d.domain for d in tenant.domains.all()} == {"initech.localhost", "initech.portal.localhost"}
        user = User.objects.get(email="peter@initech.test")
        assert Membership.objects.get(user=user, tenant=tenant).role == "owner"
        app = Client(HTTP_HOST="initech.localhost")
        assert app.get(f"{target.path}?{target.query}")["Location"] == "/"
        dashboard = app.get("/")
        assert dashboard.status_code == 200
        assert "Please confirm your e-mail address" in dashboard.content.decode()
        [verification] = mailbox()
        assert verification["To"] == "peter@initech.test"
        assert SecurityEvent.objects.filter(kind=EventKind.SIGNUP, tenant=tenant).exists()

    def test_signed_in_user_creates_another_workspace(self, public_client, owner):
        sign_in(public_client, owner)
        response = public_client.post("/signup/", {"company_name": "Second Co", "slug": "second-co"})
        assert urlsplit(response["Location"]).netloc == "second-co.localhost"
        assert Membership.objects.get(user=owner, tenant__slug="second-co").role == "owner"

    @pytest.mark.parametrize(
        "slug, message",
        [
            ("ab", "Use 3 to 40 lower-case letters"),
            ("-acme", "Use 3 to 40 lower-case letters"),
            ("ac--me", "Use 3 to 40 lower-case letters"),
            ("a" * 41, "at most 40 characters"),
            ("acme_co", "Use 3 to 40 lower-case letters"),
            ("ácme", "Use 3 to 40 lower-case letters"),
            ("www", "is reserved"),
            ("console", "is reserved"),
            ("api", "is reserved"),
            ("xn--80ak6aa92e", "Use 3 to 40 lower-case letters"),
            ("acme", "already taken"),
            ("ACME", "already taken"),
        ],
    )
    def test_bad_slugs_are_refused_and_nothing_is_written(self, public_client, slug, message):
        tenants, users = Tenant.objects.count(), User.objects.count()
        response = _post(public_client, slug=slug)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert (Tenant.objects.count(), User.objects.count()) == (tenants, users)

    def test_duplicate_email_is_refused(self, public_client, owner):
        response = _post(public_client, email=owner.email.upper())
        assert "already exists" in response.content.decode()
        assert not Tenant.objects.filter(slug="initech").exists()

    @pytest.mark.parametrize("password, message", [("short", "too short"), ("password123", "too common"), ("12345678901", "entirely numeric"), ("peter@initech.test", "too similar")])
    def test_weak_password_is_refused(self, public_client, password, message):
        response = _post(public_client, password=password)
        assert message in response.content.decode()
        assert not Tenant.objects.filter(slug="initech").exists()
        assert not User.objects.filter(email="peter@initech.test").exists()

    def test_missing_fields(self, public_client):
        response = public_client.post("/signup/", {})
        assert response.content.decode().count("This field is required") == 4

    def test_signups_are_rate_limited_per_ip(self, public_client, settings):
        settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
        for i in range(3):
            _post(public_client, slug="", company_name=f"C{i}")  # invalid forms do not count
        for i in range(2):
            assert _post(public_client, slug=f"co-{i}", email=f"x{i}@initech.test").status_code == 302
        response = _post(public_client, slug="one-more", email="y@initech.test")
        assert response.status_code == 200
        assert "Too many sign-ups" in response.content.decode()
        assert not Tenant.objects.filter(slug="one-more").exists()
        assert not User.objects.filter(email="y@initech.test").exists()


@pytest.mark.django_db
class TestSlugCheck:
    def test_free_slug(self, public_client):
        data = public_client.get("/signup/check/", {"slug": "initech"}).json()
        assert data == {"slug": "initech", "available": True, "host": "initech.localhost", "message": "initech.localhost is available."}

    def test_taken_slug(self, public_client):
        data = public_client.get("/signup/check/", {"slug": "Acme"}).json()
        assert data["available"] is False and data["code"] == "slug_taken"

    def test_reserved_slug(self, public_client):
        data = public_client.get("/signup/check/", {"slug": "admin"}).json()
        assert data["available"] is False and "reserved" in data["message"]

    def test_suggestion_from_a_bulgarian_company_name(self, public_client):
        data = public_client.get("/signup/check/", {"name": "Бистра ООД"}).json()
        assert data["slug"] == "bistra-ood" and data["available"] is True

    def test_check_speaks_bulgarian(self, public_client):
        data = public_client.get("/signup/check/", {"slug": "ab"}, HTTP_ACCEPT_LANGUAGE="bg").json()
        assert "латински" in data["message"]


@pytest.mark.django_db
def test_the_owner_confirms_the_email_from_the_link(public_client, mailbox):
    from allauth.account.models import EmailAddress

    from tests.helpers import link_in

    response = _post(public_client)
    target = urlsplit(response["Location"])
    app = Client(HTTP_HOST="initech.localhost")
    app.get(f"{target.path}?{target.query}")
    link = link_in(mailbox()[0], r"http://localhost/accounts/confirm-email/[^\s]+")
    path = link.split("localhost", 1)[1]
    visitor = Client(HTTP_HOST="localhost")
    assert visitor.get(path).status_code == 200
    assert visitor.post(path).status_code == 302
    assert EmailAddress.objects.get(email="peter@initech.test").verified
    assert "Please confirm your e-mail address" not in app.get("/").content.decode()


@pytest.mark.django_db
def test_slug_check_is_rate_limited(public_client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "slug_check": "3/m/ip"}
    for _ in range(3):
        assert public_client.get("/signup/check/", {"slug": "free-one"}).status_code == 200
    response = public_client.get("/signup/check/", {"slug": "free-one"})
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"
