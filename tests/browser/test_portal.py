"""The customer portal in a real browser, end to end: a customer signs in by the link she is
e-mailed, accepts an offer with her typed name, pays an invoice by card on the workspace's
connected Stripe account (the local fake Stripe's hosted Checkout page, which posts the
signed Connect webhook to the live server), and sees it paid."""

import copy
import re

import pytest
from playwright.sync_api import expect

from tests.billing.conftest import _fake_stripe_server  # noqa: F401 (fixture)
from tests.connect.conftest import CONNECT_SECRET

pytestmark = pytest.mark.browser
SLUG = "portal-e2e"


@pytest.fixture
def workspace(django_db_setup, django_db_blocker, live_server_url, _fake_stripe_server, settings):
    """A workspace of its own (committed: the live server reads it through another
    connection; deleted after) with a ready connected Stripe account, Nora of Northwind
    with portal access, an offer sent to her and an invoice issued to her."""
    import stripe
    from django.db import connection

    from billing.models import ConnectedAccount
    from shared_apps.accounts.models import User
    from tenant_apps.sales.services.documents import document_create, offer_mark_sent
    from tenants.models import Tenant
    from tenants.services import tenant_delete, tenant_provision
    from tests.connect.invoices import issued_invoice_for
    from tests.helpers import make_user
    from tests.portal_helpers import make_customer

    fake = _fake_stripe_server
    fake.reset()
    previous_base = stripe.api_base
    stripe.api_base = fake.url
    settings.STRIPE_SECRET_KEY = settings.STRIPE_TEST_SECRET_KEY = "sk_test_51TesseraFakeKey0123456789"
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = CONNECT_SECRET
    # The pay button's POST is answered with a redirect to Checkout: on the fake's host here.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = [*policy["DIRECTIVES"]["form-action"], fake.url]
    settings.CONTENT_SECURITY_POLICY = policy
    fake.hosted_checkout(f"{live_server_url}/webhooks/stripe/connect/", CONNECT_SECRET)
    with django_db_blocker.unblock():
        owner = make_user("owner@portal-e2e.test")
        tenant = tenant_provision(slug=SLUG, name="Portal Shop", owner=owner, method="clone")
        try:
            connection.set_schema_to_public()
            account = fake.connected_account(ready=True)
            ConnectedAccount.objects.create(tenant=tenant, stripe_account_id=account["id"], charges_enabled=True,
                                            details_submitted=True)
            nora = make_customer(tenant, email="nora@portal-e2e.test", company="Northwind")
            invoice = issued_invoice_for(tenant, nora, owner=owner)
            connection.set_tenant(tenant)
            offer = document_create(
                actor=owner, kind="offer",
                data={"company": nora.contact.company, "contact": nora.contact, "currency": "EUR"},
                lines=[{"description": "Support plan", "quantity": "1", "unit_price": "500"}],
            )
            offer = offer_mark_sent(document=offer, actor=owner)
            connection.set_schema_to_public()
            yield {"tenant": tenant, "nora": nora, "invoice": invoice, "offer": offer,
                   "base": f"http://{SLUG}.portal.localhost:{live_server_url.rsplit(':', 1)[1]}"}
        finally:
            stripe.api_base = previous_base
            connection.set_schema_to_public()
            tenant_delete(tenant=Tenant.objects.get(slug=SLUG), backup=False)
            User.objects.filter(email__endswith="@portal-e2e.test").delete()
            # Its e-mails (the sign-in link) were committed to the outbox: later tests'
            # mailboxes must not receive them.
            from shared_apps.outbox.models import OutboxMessage

            OutboxMessage.objects.filter(schema_name=tenant.schema_name).delete()


def _sign_in_link(db_call):
    from shared_apps.outbox.models import OutboxMessage

    def latest():
        message = (OutboxMessage.objects.filter(schema_name=f"t_{SLUG.replace('-', '_')}")
                   .order_by("-created_at").first())
        return message.payload["body"] if message else ""

    match = re.search(r"https?://[^\s\"'<>]*/login/link/[^\s\"'<>]+", db_call(latest))
    assert match, "no sign-in link was e-mailed"
    return match.group(0)


def test_a_customer_signs_in_by_link_accepts_an_offer_and_pays_an_invoice(workspace, browser, db_call):
    from tenant_apps.sales.models import Document, Payment

    base, offer, invoice = workspace["base"], workspace["offer"], workspace["invoice"]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        # She asks for a sign-in link and follows it from her mail.
        page.goto(f"{base}/login/")
        page.locator("form", has=page.locator("text=E-mail me a sign-in link")).locator("input[name=email]").fill(
            "nora@portal-e2e.test")
        page.click("text=E-mail me a sign-in link")
        expect(page.locator("body")).to_contain_text("Check your inbox")
        link = _sign_in_link(db_call)
        assert link.startswith(f"{base}/login/link/")
        page.goto(link)
        page.click("button:has-text('Sign in')")
        page.wait_for_url(f"{base}/")
        expect(page.locator("nav")).to_contain_text("Invoices")

        # She accepts the offer, typing her name.
        page.goto(f"{base}/offers/{offer.pk}/")
        page.fill("input[name=name]", "Nora Customer")
        page.click("button[value=accept]")
        expect(page.locator("body")).to_contain_text("Nora Customer")
        decided = db_call(lambda: Document.objects.get(pk=offer.pk), SLUG)
        assert decided.status == "accepted"
        assert decided.decision["name"] == "Nora Customer" and decided.decision["ip"] == "127.0.0.1"

        # She pays the invoice by card on the (fake) Stripe Checkout page and comes back.
        page.goto(f"{base}/invoices/{invoice.pk}/")
        page.click("[data-testid=pay-by-card]")
        expect(page.locator("h1")).to_contain_text("Pay 120.50 EUR")
        page.click("button:has-text('Pay')")
        page.wait_for_url(re.compile(rf".*/invoices/{invoice.pk}/paid/\?session_id=.*"))
        expect(page.locator("[data-payment-state]")).to_have_attribute("data-payment-state", "paid", timeout=20_000)

        # The invoice is paid, once, and her invoice page says so.
        paid = db_call(lambda: (Document.objects.get(pk=invoice.pk).status,
                                Payment.objects.filter(document_id=invoice.pk).count()), SLUG)
        assert paid == ("paid", 1)
        page.goto(f"{base}/invoices/{invoice.pk}/")
        expect(page.locator("[data-testid=pay-by-card]")).to_have_count(0)
        expect(page.locator("#payments")).to_contain_text("120.50")
        assert errors == []
    finally:
        context.close()
