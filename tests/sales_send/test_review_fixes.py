"""A document template that fails on one real document, and offers that can no longer be
accepted: a clear refusal in every door, and the daily run carries on past a bad invoice."""

import logging
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tenant_apps.sales.errors import SalesError
from tenant_apps.sales.models import Document, PaymentReminder, SalesSettings
from tenant_apps.sales.services import daily, reminders
from tenant_apps.sales.services.daily import DAILY, next_daily_run, sales_daily_run
from tenant_apps.sales.services.documents import document_create, invoice_issue, offer_decide, offer_mark_sent
from tenant_apps.sales.services.sending import document_send, document_sendable
from tenant_apps.templates.catalogue import TemplateKey
from tenant_apps.templates.defaults import default_content
from tenant_apps.templates.errors import TemplateError
from tenant_apps.templates.services import template_save
from tenant_apps.workspace.selectors import workspace_timezone
from tenants.models import ScheduledJob
from tests.api.conftest import api, api_for, error_of, make_key  # noqa: F401
from tests.sales_send.conftest import overdue

pytestmark = pytest.mark.django_db


def _taxes_only_html() -> tuple[str, str]:
    content = default_content("document", "classic", "")
    return content.html.replace("<body", '<body data-x="{{ document.tax_breakdown[0].rate }}"', 1), content.css


@pytest.fixture
def taxes_only_template(in_acme, owner):
    """A classic layout that fails on an invoice without taxes, saved before the save check
    tried the bare samples (written directly, as an older version would be)."""
    from tenant_apps.templates.models import Template, TemplateVersion

    html, css = _taxes_only_html()
    template = Template.objects.create(kind="document", name="classic")
    TemplateVersion.objects.create(template=template, number=1, html=html, css=css)


def test_the_save_check_tries_a_document_without_taxes(in_acme, admin):
    # given a layout that only works when the document has taxes
    html, css = _taxes_only_html()
    # when it is saved
    with pytest.raises(TemplateError) as caught:
        template_save(key=TemplateKey("document", "classic"), html=html, css=css, actor=admin)
    # then it is refused at once, naming the problem
    assert caught.value.code == "undefined" and "no element 0" in caught.value.message


@pytest.fixture
def untaxed_invoice(owner, company, contact):
    document = document_create(actor=owner, kind="invoice",
                               data={"company": company, "contact": contact, "currency": "EUR"},
                               lines=[{"description": "untaxed", "quantity": "1", "unit_price": "10"}])
    return invoice_issue(document=document, actor=owner)


def test_a_template_failing_on_this_document_is_a_clear_refusal(owner, taxes_only_template, untaxed_invoice, mailbox):
    # given a document template that fails on an untaxed invoice
    # when the invoice is sent with its PDF
    with pytest.raises(SalesError) as caught:
        document_send(document=untaxed_invoice, actor=owner, to=["ivan@initech.example"])
    # then the refusal names the template problem and its line, and nothing went out
    assert caught.value.code == "pdf_template_broken"
    assert "Line " in caught.value.message and "no element 0" in caught.value.message
    assert mailbox() == []


def test_the_send_page_shows_the_template_problem(client_for, owner, taxes_only_template, untaxed_invoice, mailbox):
    # given the failing template
    url = reverse("sales_document_send", urlconf="config.urls_app", args=[untaxed_invoice.pk])
    client = client_for(owner)
    key = client.get(url).context["form"].initial["send_key"]
    # when the member sends from the page
    response = client.post(url, {"to": "ivan@initech.example", "cc": "", "subject": "", "message": "",
                                 "attach_pdf": "on", "send_key": key, "send": "1"})
    # then the page answers with the error, not a 500
    assert response.status_code == 200
    assert "PDF" in response.content.decode() and mailbox() == []


def test_the_api_answers_the_template_problem_as_an_error(api, taxes_only_template, untaxed_invoice, mailbox):  # noqa: F811
    # when the failing invoice is sent through the API
    response = api.post(f"/api/v1/documents/{untaxed_invoice.pk}/send/", {"to": ["ivan@initech.example"]},
                        content_type="application/json")
    # then a 400 with a stable code
    assert response.status_code == 400
    assert error_of(response)["code"] == "pdf_template_broken" and mailbox() == []


def test_the_pdf_page_of_a_failing_document_is_the_error_page(client_for, owner, taxes_only_template, untaxed_invoice):
    # when the PDF of the failing invoice is opened
    url = reverse("sales_document_pdf", urlconf="config.urls_app", args=[untaxed_invoice.pk])
    response = client_for(owner).get(url)
    # then the error page, not a 500
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")


def test_one_failing_invoice_does_not_stop_the_reminders(owner, company, contact, vat, mailbox, monkeypatch, caplog):
    # given two overdue invoices, the first of which fails to render
    SalesSettings.objects.update_or_create(pk=1, defaults={"reminder_days": [3]})
    invoices = []
    for _ in range(2):
        draft = document_create(actor=owner, kind="invoice", data={"company": company, "contact": contact,
                                                                    "currency": "EUR"},
                                lines=[{"description": "x", "quantity": "1", "unit_price": "10", "tax_rates": [vat.pk]}])
        invoices.append(overdue(draft, owner, 5))
    real = reminders.document_message

    def failing_first(*, document, **kwargs):
        if document.pk == invoices[0].pk:
            raise RuntimeError("renderer crashed")
        return real(document=document, **kwargs)

    monkeypatch.setattr(reminders, "document_message", failing_first)
    # when the reminders run
    with caplog.at_level(logging.ERROR):
        sent = reminders.payment_reminders_send(today=timezone.localdate())
    # then the second invoice is reminded, the first is logged and left for the next run
    assert [r.document_id for r in sent] == [invoices[1].pk]
    assert not PaymentReminder.objects.filter(document=invoices[0]).exists()
    assert f"invoice {invoices[0].pk}" in caplog.text
    assert len(mailbox()) == 1


def test_a_failing_daily_run_still_books_the_next(in_acme, monkeypatch):
    # given a daily job whose work fails
    def broken(*, today):
        raise RuntimeError("boom")

    monkeypatch.setattr(daily, "sales_daily", broken)
    now = timezone.now()
    # when it runs
    sales_daily_run(now=now)
    # then tomorrow morning's run is booked all the same
    job = ScheduledJob.objects.get(tenant=in_acme, kind=DAILY)
    assert job.due_at == next_daily_run(now=now, zone=workspace_timezone())


@pytest.mark.parametrize("accept", [False])
def test_a_declined_offer_is_not_sent_again(owner, draft_offer, mailbox, accept):
    # given an offer the customer declined
    offer = offer_mark_sent(document=draft_offer, actor=owner)
    offer = offer_decide(document=offer, accept=accept, actor=owner)
    mailbox()
    # when it is sent again
    with pytest.raises(SalesError) as caught:
        document_send(document=offer, actor=owner, to=["ivan@initech.example"])
    # then it is refused, and the Send button is hidden
    assert caught.value.code == "wrong_status" and mailbox() == []
    assert not document_sendable(offer)


@pytest.mark.parametrize("status", ["expired", "converted"])
def test_expired_and_converted_offers_are_not_sendable(owner, draft_offer, mailbox, status):
    # given an offer that can no longer be accepted
    offer = offer_mark_sent(document=draft_offer, actor=owner)
    Document.objects.filter(pk=offer.pk).update(status=status)
    offer.refresh_from_db()
    # when it is sent
    with pytest.raises(SalesError) as caught:
        document_send(document=offer, actor=owner, to=["ivan@initech.example"])
    # then refused
    assert caught.value.code == "wrong_status" and not document_sendable(offer)


def test_an_accepted_offer_may_go_out_as_a_copy(owner, draft_offer, mailbox):
    offer = offer_decide(document=offer_mark_sent(document=draft_offer, actor=owner), accept=True, actor=owner)
    assert document_sendable(offer)
    document_send(document=offer, actor=owner, to=["ivan@initech.example"])
    assert any(offer.number in str(m["Subject"]) for m in mailbox())
