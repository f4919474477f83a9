"""document_send: the e-mail goes through the outbox to a real SMTP server on loopback,
from the workspace's sender name with the platform's address, Reply-To the sender, with
the PDF attached; all or nothing; once per send key."""

import io
from email.utils import parseaddr

import pytest
from pypdf import PdfReader

from shared_apps.outbox.models import OutboxMessage
from tenant_apps.activities.models import Activity
from tenant_apps.records.errors import RecordPermissionError
from tenant_apps.sales.errors import SalesError
from tenant_apps.sales.models import Document, NumberSequence, SalesSettings
from tenant_apps.sales.services.documents import invoice_void
from tenant_apps.sales.services.sending import document_send
from tenant_apps.templates.models import Template, TemplateVersion

pytestmark = pytest.mark.django_db


def _pdf_of(message):
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert len(parts) == 1
    return parts[0]


def _text(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def _break_template(purpose, language="en"):
    template = Template.objects.create(kind="email", name=purpose, language=language)
    TemplateVersion.objects.create(template=template, number=1, subject="{{ document.number }",
                                   html="<p>{% if %}</p>")


def test_an_invoice_goes_out_with_its_pdf_from_the_workspace(owner, issued_invoice, mailbox):
    # given an issued invoice
    # when the owner e-mails it to the customer with a colleague in copy
    document_send(document=issued_invoice, actor=owner, to=["ivan@initech.example"], cc=["boss@initech.example"],
                  message="Hello Ivan,\nhere it is.")
    # then one message arrived, from the workspace's name at the platform's address
    [message] = mailbox()
    assert parseaddr(str(message["From"])) == ("Acme Ltd", "no-reply@tessera.localhost")
    assert parseaddr(str(message["Reply-To"]))[1] == owner.email
    assert parseaddr(str(message["To"]))[1] == "ivan@initech.example"
    assert parseaddr(str(message["Cc"]))[1] == "boss@initech.example"
    assert issued_invoice.number in str(message["Subject"])
    text = _text(message)
    assert "Hello Ivan,\nhere it is." in text and issued_invoice.number in text
    assert "€2,586.00" in text  # the balance, formatted in English
    pdf = _pdf_of(message)
    assert pdf.get_filename() == f"{issued_invoice.number}.pdf"
    content = pdf.get_content()
    assert content.startswith(b"%PDF")
    assert issued_invoice.number in "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    # and the send is on the timelines and on the invoice
    event = Activity.objects.get(event="invoice_emailed")
    assert event.data["to"] == ["ivan@initech.example"] and event.data["cc"] == ["boss@initech.example"]
    assert event.company_id == issued_invoice.company_id and event.contact_id == issued_invoice.contact_id
    issued_invoice.refresh_from_db()
    assert issued_invoice.sent_at is not None


def test_the_sender_name_of_the_sales_settings_wins(owner, issued_invoice, mailbox):
    SalesSettings.objects.update_or_create(pk=1, defaults={"email_sender_name": "Acme Billing"})
    document_send(document=issued_invoice, actor=owner, to=["ivan@initech.example"])
    [message] = mailbox()
    assert parseaddr(str(message["From"])) == ("Acme Billing", "no-reply@tessera.localhost")


def test_a_draft_offer_is_numbered_and_marked_sent_by_its_first_send(owner, draft_offer, mailbox):
    # when a draft offer is sent
    sent = document_send(document=draft_offer, actor=owner, to=["ivan@initech.example"], subject="Our offer")
    # then it has a number, is sent and valid for a while
    sent.refresh_from_db()
    assert sent.status == "sent" and sent.number.startswith("OFF-") and sent.valid_until is not None
    [message] = mailbox()
    assert str(message["Subject"]) == "Our offer"
    assert sent.number in _text(message)
    assert Activity.objects.filter(event="offer_emailed", data__number=sent.number).count() == 1


def test_an_offer_can_be_sent_again(owner, draft_offer, mailbox):
    document_send(document=draft_offer, actor=owner, to=["ivan@initech.example"])
    document_send(document=draft_offer, actor=owner, to=["other@initech.example"])
    assert len(mailbox()) == 2
    assert Document.objects.get(pk=draft_offer.pk).status == "sent"


def test_a_draft_invoice_is_not_sent_unless_issued_on_the_way(owner, draft_invoice, mailbox):
    # when a draft invoice is sent as it is
    with pytest.raises(SalesError) as refused:
        document_send(document=draft_invoice, actor=owner, to=["ivan@initech.example"])
    # then it is refused and nothing happened
    assert refused.value.code == "issue_before_sending"
    draft_invoice.refresh_from_db()
    assert draft_invoice.status == "draft" and draft_invoice.number == ""
    assert mailbox() == []
    # when the sender asks to issue and send
    document_send(document=draft_invoice, actor=owner, to=["ivan@initech.example"], issue_draft=True)
    # then it is issued, numbered and sent
    draft_invoice.refresh_from_db()
    assert draft_invoice.status == "issued" and draft_invoice.number.startswith("INV-")
    [message] = mailbox()
    assert draft_invoice.number in str(message["Subject"])


@pytest.mark.parametrize("to, cc, code", [
    (["not an address"], [], "email_invalid"),
    ([], [], "recipients_required"),
    (["ivan@initech.example"], ["a@b.example\nBcc: x@evil.example"], "email_invalid"),
    ([f"p{i}@initech.example" for i in range(21)], [], "too_many_recipients"),
])
def test_bad_recipients_send_nothing_and_number_nothing(owner, draft_offer, mailbox, to, cc, code):
    before = OutboxMessage.objects.count()
    with pytest.raises(SalesError) as refused:
        document_send(document=draft_offer, actor=owner, to=to, cc=cc)
    assert refused.value.code == code
    assert refused.value.message  # translated text for the page
    draft_offer.refresh_from_db()
    assert draft_offer.status == "draft" and draft_offer.number == ""
    assert OutboxMessage.objects.count() == before
    assert not NumberSequence.objects.filter(kind="offer", last_value__gt=0).exists()


def test_addresses_may_be_one_comma_separated_string(owner, issued_invoice, mailbox):
    document_send(document=issued_invoice, actor=owner, to="ivan@initech.example; maria@initech.example, ivan@initech.example")
    [message] = mailbox()
    assert str(message["To"]).count("@") == 2


def test_a_broken_template_sends_nothing_and_keeps_the_draft(owner, draft_offer, mailbox):
    # given the workspace broke its offer e-mail
    _break_template("offer")
    # when the offer is sent
    with pytest.raises(SalesError) as refused:
        document_send(document=draft_offer, actor=owner, to=["ivan@initech.example"])
    # then the error says what is wrong and nothing happened
    assert refused.value.code == "template_broken"
    assert "template" in refused.value.message
    draft_offer.refresh_from_db()
    assert draft_offer.status == "draft" and draft_offer.number == ""
    assert mailbox() == []


def test_a_double_click_sends_once(owner, issued_invoice, mailbox):
    document_send(document=issued_invoice, actor=owner, to=["ivan@initech.example"], send_key="k-1")
    with pytest.raises(SalesError) as refused:
        document_send(document=issued_invoice, actor=owner, to=["ivan@initech.example"], send_key="k-1")
    assert refused.value.code == "already_sent"
    assert len(mailbox()) == 1


def test_a_failed_send_frees_its_key(owner, issued_invoice, mailbox):
    with pytest.raises(SalesError):
        document_send(document=issued_invoice, actor=owner, to=["nope"], send_key="k-2")
    document_send(document=issued_invoice, actor=owner, to=["ivan@initech.example"], send_key="k-2")
    assert len(mailbox()) == 1


def test_without_the_pdf(owner, issued_invoice, mailbox):
    document_send(document=issued_invoice, actor=owner, to=["ivan@initech.example"], attach_pdf=False)
    [message] = mailbox()
    assert list(message.iter_attachments()) == []
    assert Activity.objects.get(event="invoice_emailed").data["pdf_attached"] is False


def test_a_void_invoice_is_not_sent(owner, issued_invoice, mailbox):
    invoice_void(document=issued_invoice, actor=owner, reason="Wrong customer")
    with pytest.raises(SalesError) as refused:
        document_send(document=issued_invoice, actor=owner, to=["ivan@initech.example"])
    assert refused.value.code == "wrong_status"
    assert mailbox() == []


def test_a_read_only_member_cannot_send(read_only, issued_invoice, mailbox):
    with pytest.raises(RecordPermissionError):
        document_send(document=issued_invoice, actor=read_only, to=["ivan@initech.example"])
    assert mailbox() == []


def test_a_restricted_rep_cannot_send_someone_elses_invoice(restricted, sales_rep, issued_invoice, mailbox):
    with pytest.raises(RecordPermissionError):
        document_send(document=issued_invoice, actor=sales_rep, to=["ivan@initech.example"])


def test_a_bulgarian_invoice_is_written_in_bulgarian(owner, company, contact, vat, mailbox):
    from tenant_apps.sales.services.documents import document_create, invoice_issue

    invoice = document_create(actor=owner, kind="invoice", data={"company": company, "contact": contact,
                                                                 "currency": "BGN", "language": "bg"},
                              lines=[{"description": "Консултация", "quantity": "2", "unit_price": "1000.50"}])
    invoice = invoice_issue(document=invoice, actor=owner)
    document_send(document=invoice, actor=owner, to=["ivan@initech.example"])
    [message] = mailbox()
    text = _text(message)
    assert "Здравейте" in text and "2001,00" in text.replace("\xa0", "").replace(" ", "")
    assert message["Content-Language"] == "bg"
