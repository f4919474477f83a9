"""Paying an invoice by card in the portal: Nora of Northwind opens her invoice's pay page,
is sent to a Stripe Checkout page made on acme's own Stripe account for what she owes,
and comes back to a page that says "processing" until Stripe's webhook has recorded it."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.portal_helpers import make_customer, portal_client_for

from .conftest import connect_event
from .invoices import issued_invoice_for

pytestmark = pytest.mark.django_db


def test_the_pay_page_shows_what_is_due_and_the_button(nora_client, nora_invoice, acme_account):
    response = nora_client.get(f"/invoices/{nora_invoice.pk}/pay/")
    assert response.status_code == 200
    body = response.content.decode()
    assert nora_invoice.number in body
    assert 'data-testid="amount-due">120.50 EUR' in body
    assert 'data-testid="pay-by-card"' in body and "Pay 120.50 EUR by card" in body


def test_pay_creates_a_checkout_session_on_acmes_account(nora_client, nora, nora_invoice, acme_account, fake_stripe, tenant_a):
    response = nora_client.post(f"/invoices/{nora_invoice.pk}/pay/")

    assert response.status_code == 302
    assert response["Location"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
    [params] = fake_stripe.posted("/v1/checkout/sessions")
    # made on the connected account, not on the platform's
    assert fake_stripe.stripe_accounts("POST", "/v1/checkout/sessions") == [acme_account["id"]]
    assert params["mode"] == "payment"
    assert params["line_items[0][price_data][currency]"] == "eur"
    assert params["line_items[0][price_data][unit_amount]"] == "12050"
    assert params["metadata[tessera_schema]"] == tenant_a.schema_name
    assert params["metadata[invoice_id]"] == str(nora_invoice.pk)
    assert params["client_reference_id"] == f"{tenant_a.schema_name}:{nora_invoice.pk}"
    assert params["customer_email"] == "nora@northwind.test"
    assert params["success_url"] == (
        f"http://acme.portal.localhost/invoices/{nora_invoice.pk}/paid/?session_id={{CHECKOUT_SESSION_ID}}"
    )
    assert params["cancel_url"] == f"http://acme.portal.localhost/invoices/{nora_invoice.pk}/pay/?canceled=1"


def test_only_what_is_still_owed_is_charged(nora_client, nora_invoice, acme_account, fake_stripe, tenant_a, owner):
    from tenant_apps.sales.services.payments import payment_record

    connection.set_tenant(tenant_a)
    payment_record(invoice=nora_invoice, actor=owner, amount="20.50")
    connection.set_schema_to_public()

    nora_client.post(f"/invoices/{nora_invoice.pk}/pay/")

    [params] = fake_stripe.posted("/v1/checkout/sessions")
    assert params["line_items[0][price_data][unit_amount]"] == "10000"


def test_without_a_ready_account_there_is_no_button_and_no_stripe_call(nora_client, nora_invoice, fake_stripe, tenant_a):
    from billing.models import ConnectedAccount

    ConnectedAccount.objects.create(tenant=tenant_a, stripe_account_id="acct_Unfinished", details_submitted=True)
    page = nora_client.get(f"/invoices/{nora_invoice.pk}/pay/").content.decode()
    assert 'data-testid="pay-by-card"' not in page and "Card payments are not available" in page

    response = nora_client.post(f"/invoices/{nora_invoice.pk}/pay/", follow=True)

    assert response.status_code == 200 and "Card payments are not available" in response.content.decode()
    assert not fake_stripe.calls


def test_an_unsupported_currency_is_refused(nora, nora_client, acme_account, fake_stripe, tenant_a, settings):
    settings.STRIPE_CONNECT_CURRENCIES = ["EUR"]
    invoice = issued_invoice_for(tenant_a, nora, currency="USD")
    page = nora_client.get(f"/invoices/{invoice.pk}/pay/").content.decode()
    assert 'data-testid="pay-by-card"' not in page
    response = nora_client.post(f"/invoices/{invoice.pk}/pay/", follow=True)
    assert "cannot be paid by card" in response.content.decode()
    assert not fake_stripe.calls


def test_a_paid_invoice_has_nothing_to_pay(nora_client, nora_invoice, acme_account, fake_stripe, tenant_a, owner):
    from tenant_apps.sales.services.payments import payment_record

    connection.set_tenant(tenant_a)
    payment_record(invoice=nora_invoice, actor=owner, amount="120.50")
    connection.set_schema_to_public()
    page = nora_client.get(f"/invoices/{nora_invoice.pk}/pay/").content.decode()
    assert 'data-payment-state="nothing-due"' in page and 'data-testid="pay-by-card"' not in page
    response = nora_client.post(f"/invoices/{nora_invoice.pk}/pay/", follow=True)
    assert "nothing left to pay" in response.content.decode()
    assert not fake_stripe.calls


def test_another_companys_invoice_is_a_404(tenant_a, nora_invoice, acme_account, fake_stripe):
    otto = make_customer(tenant_a, email="otto@initech.test", company="Initech", name="Otto Other")
    client = portal_client_for(otto, tenant_a)
    assert client.get(f"/invoices/{nora_invoice.pk}/pay/").status_code == 404
    assert client.post(f"/invoices/{nora_invoice.pk}/pay/").status_code == 404
    assert client.get(f"/invoices/{nora_invoice.pk}/paid/").status_code == 404
    assert not fake_stripe.calls


def test_a_canceled_checkout_says_nothing_was_charged(nora_client, nora_invoice, acme_account):
    page = nora_client.get(f"/invoices/{nora_invoice.pk}/pay/?canceled=1").content.decode()
    assert 'data-payment-state="canceled"' in page and 'data-testid="pay-by-card"' in page


def test_the_paid_page_says_processing_until_the_webhook_lands(
    nora_client, nora_invoice, acme_account, fake_stripe, deliver_connect
):
    # given: Nora paid on Stripe's page and is sent back
    location = nora_client.post(f"/invoices/{nora_invoice.pk}/pay/")["Location"]
    session_id = location.rsplit("/", 1)[-1]
    back = f"/invoices/{nora_invoice.pk}/paid/?session_id={session_id}"
    # when the webhook has not come yet
    page = nora_client.get(back).content.decode()
    assert 'data-payment-state="processing"' in page and 'http-equiv="refresh"' in page
    # when it has
    session = fake_stripe.checkout_paid(session_id)
    assert deliver_connect(connect_event("checkout.session.completed", session, account=acme_account["id"])).status_code == 200
    page = nora_client.get(back).content.decode()
    assert 'data-payment-state="paid"' in page and 'http-equiv="refresh"' not in page
    assert f"Invoice {nora_invoice.number} is paid." in page


def test_the_pay_button_fragment_renders_inside_any_portal_page(nora, nora_invoice, acme_account, tenant_a):
    """docs' invoice page includes portal/includes/pay_button.html with `invoice` in context."""
    from django.contrib.auth.models import AnonymousUser
    from django.urls import set_urlconf

    request = RequestFactory().get("/", HTTP_HOST="acme.portal.localhost")
    request.tenant, request.user, request.surface, request.portal_access = tenant_a, AnonymousUser(), "portal", nora
    connection.set_tenant(tenant_a)
    set_urlconf("config.urls_portal")
    try:
        html = render_to_string("portal/includes/pay_button.html", {"invoice": nora_invoice}, request=request)
        assert f'action="/invoices/{nora_invoice.pk}/pay/"' in html and "csrfmiddlewaretoken" in html
        nora_invoice.status = "paid"
        assert "<form" not in render_to_string("portal/includes/pay_button.html", {"invoice": nora_invoice}, request=request)
    finally:
        set_urlconf(None)


def test_the_pay_page_is_in_bulgarian_for_a_bulgarian_customer(nora_client, nora_invoice, acme_account):
    nora_client.cookies["tessera_language"] = "bg"
    page = nora_client.get(f"/invoices/{nora_invoice.pk}/pay/", HTTP_ACCEPT_LANGUAGE="bg").content.decode()
    assert f"Плащане на фактура {nora_invoice.number}" in page
    assert "Платете 120,50 EUR с карта" in page or "Платете 120.50 EUR с карта" in page


def test_pressing_pay_again_reuses_the_open_checkout_page(nora_client, nora_invoice, acme_account, fake_stripe,
                                                          tenant_a, owner):
    """Two tabs, or the back button, must not give two payable pages for one debt."""
    import time

    from tenant_apps.sales.services.payments import payment_record

    first = nora_client.post(f"/invoices/{nora_invoice.pk}/pay/")["Location"]
    second = nora_client.post(f"/invoices/{nora_invoice.pk}/pay/")["Location"]
    assert first == second
    [params] = fake_stripe.posted("/v1/checkout/sessions")
    # the page closes itself after half an hour (Stripe's shortest)
    assert 29 * 60 <= int(params["expires_at"]) - time.time() <= 30 * 60
    # once part is paid another way, the amount owed changed: a new page for the new amount
    connection.set_tenant(tenant_a)
    payment_record(invoice=nora_invoice, actor=owner, amount="20.50")
    connection.set_schema_to_public()
    assert nora_client.post(f"/invoices/{nora_invoice.pk}/pay/")["Location"] != first


def test_a_voided_invoice_has_no_pay_page(nora_client, nora_invoice, acme_account, fake_stripe, tenant_a, owner):
    from tenant_apps.sales.services.documents import invoice_void

    connection.set_tenant(tenant_a)
    invoice_void(document=nora_invoice, actor=owner, reason="Issued by mistake")
    connection.set_schema_to_public()
    assert nora_client.get(f"/invoices/{nora_invoice.pk}/pay/").status_code == 404
    assert nora_client.post(f"/invoices/{nora_invoice.pk}/pay/").status_code == 404
    assert fake_stripe.posted("/v1/checkout/sessions") == []
