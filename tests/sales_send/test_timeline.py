"""Sales events read as sentences on the company, contact and deal timelines."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tenant_apps.activities.models import Activity
from tenant_apps.sales.services.payments import payment_record
from tenant_apps.sales.services.sending import document_send

pytestmark = pytest.mark.django_db
SALES_EVENTS = (
    "offer_created", "invoice_created", "offer_sent", "offer_emailed", "invoice_emailed", "credit_note_emailed",
    "invoice_issued", "credit_note_issued", "offer_accepted", "offer_declined", "offer_expired", "offer_converted",
    "invoice_voided", "invoice_credited", "payment_received", "payment_refunded", "payment_reminder_sent",
)


def test_payments_and_sending_on_the_company_timeline(client_for, owner, company, issued_invoice, mailbox):
    payment_record(invoice=issued_invoice, actor=owner, amount="1000")
    document_send(document=issued_invoice, actor=owner, to=["ivan@initech.example"])
    html = client_for(owner).get(reverse("company_detail", urlconf="config.urls_app", args=[company.pk])).content.decode()
    number = issued_invoice.number
    assert f"Payment of 1,000.00 EUR received on {number} (balance 1,586.00 EUR)" in html
    assert f"{number} e-mailed to ivan@initech.example" in html
    assert f"Invoice {number} issued (2,586.00 EUR)" in html


@pytest.mark.parametrize("event", SALES_EVENTS)
@pytest.mark.parametrize("language", ["en", "bg"])
def test_every_sales_event_has_words(event, language):
    activity = Activity(kind="system", event=event, subject="INV-1", data={
        "document_id": 1, "number": "INV-1", "total": "10.00", "currency": "EUR", "to": ["a@b.example"], "cc": [],
        "amount": "5.00", "balance": "5.00", "days_overdue": 3, "days_after_due": 3, "credit_note": "CN-1",
        "reason": "typo", "pdf_attached": True,
    })
    with translation.override(language):
        text = " ".join(render_to_string("records/_event.html", {"a": activity}).split())
    assert text and text != event and event not in text
