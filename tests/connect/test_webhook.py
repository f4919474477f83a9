"""The Connect webhook records a card payment exactly once: a completed Checkout session on
acme's account marks Nora's invoice paid, however often Stripe delivers the event. Bad
signatures, strangers' accounts and sessions that are none of ours record nothing."""

from decimal import Decimal

import pytest
from django.db import connection

from .conftest import connect_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_session(nora_client, nora_invoice, acme_account, fake_stripe):
    """Nora went through Checkout for the whole invoice and paid."""
    location = nora_client.post(f"/invoices/{nora_invoice.pk}/pay/")["Location"]
    return fake_stripe.checkout_paid(location.rsplit("/", 1)[-1])


def _payments(tenant, invoice):
    from tenant_apps.sales.models import Document, Payment

    connection.set_tenant(tenant)
    try:
        return list(Payment.objects.filter(document=invoice)), Document.objects.get(pk=invoice.pk)
    finally:
        connection.set_schema_to_public()


def test_a_completed_session_marks_the_invoice_paid_once_even_when_delivered_twice(
    paid_session, acme_account, nora_invoice, tenant_a, deliver_connect
):
    # given: one event, and Stripe delivering it twice (and a second event for the same payment)
    payload = connect_event("checkout.session.completed", paid_session, account=acme_account["id"])
    again = connect_event("checkout.session.completed", paid_session, account=acme_account["id"])
    # when
    statuses = [deliver_connect(payload).status_code, deliver_connect(payload).status_code,
                deliver_connect(again).status_code]
    # then
    assert statuses == [200, 200, 200]
    [payment], invoice = _payments(tenant_a, nora_invoice)
    assert payment.amount == Decimal("120.50") and payment.currency == "EUR"
    assert payment.method == "stripe" and payment.external_id == paid_session["payment_intent"]
    assert payment.reference == paid_session["id"] and payment.recorded_by_id is None
    assert invoice.status == "paid" and invoice.amount_paid == Decimal("120.50") and invoice.balance == 0


def test_the_payment_reaches_the_invoices_timeline(paid_session, acme_account, nora_invoice, tenant_a, deliver_connect):
    from tenant_apps.activities.models import Activity

    deliver_connect(connect_event("checkout.session.completed", paid_session, account=acme_account["id"]))
    connection.set_tenant(tenant_a)
    assert Activity.objects.filter(data__document_id=nora_invoice.pk, data__method="stripe").exists()


def test_a_bad_signature_is_a_400_and_records_nothing(paid_session, acme_account, nora_invoice, tenant_a, deliver_connect):
    payload = connect_event("checkout.session.completed", paid_session, account=acme_account["id"])
    assert deliver_connect(payload, secret="whsec_someone_else").status_code == 400
    assert deliver_connect(payload, signature="t=1,v1=deadbeef").status_code == 400
    payments, invoice = _payments(tenant_a, nora_invoice)
    assert payments == [] and invoice.status == "issued"


def test_without_a_configured_secret_nothing_is_accepted(paid_session, acme_account, nora_invoice, tenant_a,
                                                          deliver_connect, settings):
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = ""
    payload = connect_event("checkout.session.completed", paid_session, account=acme_account["id"])
    assert deliver_connect(payload, secret="").status_code == 400
    assert _payments(tenant_a, nora_invoice)[0] == []


def test_an_unknown_account_is_answered_200_and_ignored(paid_session, nora_invoice, tenant_a, deliver_connect, caplog):
    payload = connect_event("checkout.session.completed", paid_session, account="acct_NotOursAtAll")
    with caplog.at_level("INFO", logger="billing.connect_services"):
        assert deliver_connect(payload).status_code == 200
    assert "unknown account acct_NotOursAtAll" in caplog.text
    assert _payments(tenant_a, nora_invoice)[0] == []


def test_a_session_naming_another_workspace_is_ignored(paid_session, acme_account, nora_invoice, tenant_a, tenant_b,
                                                        deliver_connect):
    """acme's account cannot pay into globex's schema, whatever the metadata says."""
    forged = dict(paid_session, metadata=dict(paid_session["metadata"], tessera_schema=tenant_b.schema_name))
    assert deliver_connect(connect_event("checkout.session.completed", forged, account=acme_account["id"])).status_code == 200
    assert _payments(tenant_a, nora_invoice)[0] == []


def test_an_unpaid_session_records_nothing(nora_client, nora_invoice, acme_account, fake_stripe, tenant_a, deliver_connect):
    location = nora_client.post(f"/invoices/{nora_invoice.pk}/pay/")["Location"]
    session = dict(fake_stripe.get(location.rsplit("/", 1)[-1]), status="complete", payment_status="unpaid")
    assert deliver_connect(connect_event("checkout.session.completed", session, account=acme_account["id"])).status_code == 200
    assert _payments(tenant_a, nora_invoice)[0] == []


def test_a_different_amount_is_recorded_as_paid_and_noted(nora_client, nora_invoice, acme_account, fake_stripe,
                                                           tenant_a, deliver_connect):
    """What Stripe charged is what was paid; the invoice's balance shows what is left."""
    location = nora_client.post(f"/invoices/{nora_invoice.pk}/pay/")["Location"]
    session = fake_stripe.checkout_paid(location.rsplit("/", 1)[-1], amount_total=10000)
    deliver_connect(connect_event("checkout.session.completed", session, account=acme_account["id"]))
    [payment], invoice = _payments(tenant_a, nora_invoice)
    assert payment.amount == Decimal("100.00") and "Amount asked: 120.50 EUR" in payment.note
    assert invoice.status == "partially_paid" and invoice.balance == Decimal("20.50")


def test_a_payment_on_an_invoice_already_settled_is_kept_as_an_overpayment(
    paid_session, acme_account, nora_invoice, tenant_a, owner, deliver_connect
):
    """Paid by bank transfer meanwhile: the card money was still taken, so it is recorded
    (the invoice shows the overpayment, which staff can refund)."""
    from tenant_apps.sales.services.payments import payment_record

    connection.set_tenant(tenant_a)
    payment_record(invoice=nora_invoice, actor=owner, amount="120.50")
    connection.set_schema_to_public()
    deliver_connect(connect_event("checkout.session.completed", paid_session, account=acme_account["id"]))
    payments, invoice = _payments(tenant_a, nora_invoice)
    assert len(payments) == 2 and invoice.status == "paid" and invoice.balance == Decimal("-120.50")


def test_a_voided_invoice_is_not_paid_and_the_webhook_still_answers(
    paid_session, acme_account, nora_invoice, tenant_a, owner, deliver_connect, caplog
):
    from tenant_apps.sales.services.documents import invoice_void

    connection.set_tenant(tenant_a)
    invoice_void(document=nora_invoice, actor=owner, reason="Wrong customer")
    connection.set_schema_to_public()
    with caplog.at_level("ERROR", logger="billing.connect_services"):
        response = deliver_connect(connect_event("checkout.session.completed", paid_session, account=acme_account["id"]))
    assert response.status_code == 200
    assert "could not be recorded (wrong_status)" in caplog.text
    assert _payments(tenant_a, nora_invoice)[0] == []


def test_an_unrecordable_payment_is_brought_to_the_owners_and_admins_once(
    paid_session, acme_account, nora_invoice, tenant_a, owner, admin, sales_rep, deliver_connect
):
    """The customer's money was taken: the people who can refund it hear of it in the app
    (each in their language), and a second delivery of the event does not repeat it."""
    from shared_apps.accounts.models import User
    from tenant_apps.notifications.models import Notification
    from tenant_apps.sales.services.documents import invoice_void

    User.objects.filter(pk=admin.pk).update(language="bg")
    connection.set_tenant(tenant_a)
    invoice_void(document=nora_invoice, actor=owner, reason="Wrong customer")
    connection.set_schema_to_public()
    event = connect_event("checkout.session.completed", paid_session, account=acme_account["id"])
    deliver_connect(event)
    deliver_connect(event)
    connection.set_tenant(tenant_a)
    try:
        notes = {n.user_id: n for n in Notification.objects.filter(kind="card_payment_unrecorded")}
    finally:
        connection.set_schema_to_public()
    assert set(notes) == {owner.pk, admin.pk} and sales_rep.pk not in notes
    mine = notes[owner.pk]
    assert nora_invoice.number in mine.title and "120.50 EUR" in mine.body and "void" in mine.body
    assert paid_session["payment_intent"] in mine.body
    assert mine.url == f"/sales/documents/{nora_invoice.pk}/"
    assert "Stripe" in notes[admin.pk].body and "120.50 EUR" not in notes[admin.pk].title
    assert notes[admin.pk].title != mine.title  # Bulgarian


def test_the_webhook_only_takes_posts():
    from django.test import Client

    assert Client(HTTP_HOST="localhost").get("/webhooks/stripe/connect/").status_code == 405
    # and it lives on the public host only
    assert Client(HTTP_HOST="acme.localhost").post("/webhooks/stripe/connect/").status_code in (302, 403, 404)
