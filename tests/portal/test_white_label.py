"""Portal pages and e-mails wear the workspace's branding; on plans with white label the
platform is neither named nor linked, otherwise a small "Powered by Tessera" shows."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from billing.models import Plan
from tenants.models import Tenant
from themes.models import Branding
from tests.portal.mail import html_of, text_of

pytestmark = pytest.mark.django_db
HOST = "acme.portal.localhost"


@pytest.fixture
def branded(tenant_a):
    connection.set_tenant(tenant_a)
    Branding.objects.update_or_create(defaults={"primary_colour": "#8a2be2"})
    from themes.selectors import branding_cache_clear

    branding_cache_clear()
    connection.set_schema_to_public()


@pytest.fixture
def white_label(tenant_a):
    Tenant.objects.filter(pk=tenant_a.pk).update(plan=Plan.objects.get(code="enterprise"))


def _platform_marks(content: str) -> list[str]:
    return [mark for mark in ("Tessera", f"//{settings.APP_DOMAIN}/", f"//{settings.APP_DOMAIN}:") if mark in content]


def test_portal_pages_say_powered_by_on_plans_without_white_label(tenant_a, branded, customer_client):
    page = Client(HTTP_HOST=HOST).get("/login/").content.decode()
    assert "Powered by" in page and "Tessera" in page
    assert "Acme Ltd" in page and "#8a2be2" in page
    assert "Powered by" in customer_client.get("/account/").content.decode()


def test_portal_pages_never_name_the_platform_with_white_label(tenant_a, branded, white_label, customer_client):
    for client, path in ((Client(HTTP_HOST=HOST), "/login/"), (Client(HTTP_HOST=HOST), "/password/reset/"),
                         (customer_client, "/"), (customer_client, "/account/")):
        response = client.get(path)
        page = response.content.decode()
        assert response.status_code == 200, path
        assert _platform_marks(page) == [], (path, _platform_marks(page))
        assert "Acme Ltd" in page and "#8a2be2" in page


def test_portal_emails_wear_the_branding_and_say_powered_by(tenant_a, branded, customer, mailbox):
    Client(HTTP_HOST=HOST).post("/login/", {"email": customer.user.email})
    [message] = mailbox()
    html, text = html_of(message), text_of(message)
    assert "#8a2be2" in html and "Acme Ltd" in html
    assert "Powered by" in html and "Tessera" in html and "Tessera" in text
    assert message["From"].startswith("Acme Ltd")


def test_portal_emails_never_name_the_platform_with_white_label(tenant_a, branded, white_label, customer, mailbox):
    Client(HTTP_HOST=HOST).post("/login/", {"email": customer.user.email})
    [message] = mailbox()
    html, text = html_of(message), text_of(message)
    assert "#8a2be2" in html and "Acme Ltd" in html
    for part in (html, text, message["Subject"], message["From"]):
        assert _platform_marks(part) == [], part


def test_the_invitation_wears_the_branding_in_the_workspace_language(tenant_a, branded, white_label, sales_rep, mailbox):
    from tenant_apps.contacts.models import Contact
    from tenant_apps.workspace.models import WorkspaceProfile
    from tests.helpers import sign_in

    connection.set_tenant(tenant_a)
    WorkspaceProfile.objects.update_or_create(defaults={"default_language": "bg"})
    contact = Contact.objects.create(first_name="Bozhana", email="bozhana@klient.test")
    app = Client(HTTP_HOST="acme.localhost")
    sign_in(app, sales_rep, tenant=tenant_a)
    app.post(f"/contacts/{contact.pk}/portal/invite/")
    [message] = mailbox()
    html = html_of(message)
    assert "#8a2be2" in html
    assert _platform_marks(html + text_of(message) + message["Subject"]) == []
    assert "Accept the invitation" not in html  # in Bulgarian
