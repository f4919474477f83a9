"""Sending an offer from its page in a real browser: the form comes prefilled, the preview
shows the message, the e-mail (with the PDF) reaches the loopback SMTP server once."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_send_an_offer_by_email(acme, db_call, _smtp_server):
    from shared_apps.accounts.models import User
    from shared_apps.outbox.models import OutboxMessage
    from tenant_apps.companies.services import company_create
    from tenant_apps.contacts.services import contact_create
    from tenant_apps.sales.models import Document
    from tenant_apps.sales.services.documents import document_create

    page, base, errors = acme
    with _smtp_server.lock:
        _smtp_server.messages.clear()

    def offer():
        owner = User.objects.get(email="owner@acme.test")
        company = company_create(actor=owner, data={"name": "Initech"})
        contact = contact_create(actor=owner, data={"first_name": "Ivan", "last_name": "Petrov", "company": company,
                                                    "emails": ["ivan@initech.example"]})
        return document_create(actor=owner, kind="offer", data={"company": company, "contact": contact,
                                                                "currency": "EUR"},
                               lines=[{"description": "Implementation", "quantity": "2", "unit_price": Decimal("900")}])

    draft = db_call(offer, "acme")
    before = db_call(lambda: set(OutboxMessage.objects.values_list("pk", flat=True)))
    try:
        page.goto(f"{base}/sales/documents/{draft.pk}/")
        page.click("text=Send by e-mail")
        page.wait_for_url(re.compile(r".*/sales/documents/\d+/send/$"))
        expect(page.locator("#id_to")).to_have_value("ivan@initech.example")
        page.fill("#id_message", "Looking forward to working with you.")
        page.click(".form-actions button[name=preview]")
        expect(page.locator("[data-preview=text]")).to_contain_text("Looking forward to working with you.")
        page.click(".form-actions button[name=send]")
        page.wait_for_url(re.compile(r".*/sales/documents/\d+/$"))
        expect(page.locator(".record-header h1")).to_contain_text("OFF-")
        expect(page.locator("body")).to_contain_text("The e-mail is on its way to ivan@initech.example.")

        sent = db_call(lambda: Document.objects.get(pk=draft.pk), "acme")
        assert sent.status == "sent"
        with _smtp_server.lock:
            messages = list(_smtp_server.messages)
        assert len(messages) == 1
        assert sent.number in str(messages[0]["Subject"])
        assert [p.get_content_type() for p in messages[0].iter_attachments()] == ["application/pdf"]
        assert errors == []
    finally:
        db_call(lambda: OutboxMessage.objects.exclude(pk__in=before).delete())
