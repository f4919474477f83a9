"""The send page: prefilled from the customer and the template, previewed, sent once; a
bad address or a broken template shows a clear error and sends nothing."""

import pytest
from django.urls import reverse

from shared_apps.outbox.models import OutboxMessage
from tenant_apps.sales.models import Document
from tenant_apps.templates.models import Template, TemplateVersion

pytestmark = pytest.mark.django_db


def _url(document):
    return reverse("sales_document_send", urlconf="config.urls_app", args=[document.pk])


def test_the_form_is_prefilled_and_previewed(client_for, owner, issued_invoice):
    page = client_for(owner).get(_url(issued_invoice))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="ivan@initech.example"' in html
    assert f"Invoice {issued_invoice.number} from" in html  # the template's subject
    assert "Dear Ivan Petrov" in html
    assert "Acme Ltd &lt;no-reply@tessera.localhost&gt;" in html
    assert 'name="issue_draft"' not in html  # already issued


def test_send_then_nothing_more_on_a_second_post(client_for, owner, issued_invoice, mailbox):
    client = client_for(owner)
    key = client.get(_url(issued_invoice)).context["form"].initial["send_key"]
    data = {"to": "ivan@initech.example", "cc": "", "subject": "Your invoice", "message": "Thanks!",
            "attach_pdf": "on", "send_key": key, "send": "1"}
    response = client.post(_url(issued_invoice), data)
    assert response.status_code == 302
    again = client.post(_url(issued_invoice), data)
    assert again.status_code == 200 and "already been sent" in again.content.decode()
    [message] = mailbox()
    assert str(message["Subject"]) == "Your invoice"


def test_a_bad_address_is_shown_and_nothing_is_sent(client_for, owner, draft_offer):
    before = OutboxMessage.objects.count()
    response = client_for(owner).post(_url(draft_offer), {"to": "ivan@initech.example, nope", "send": "1",
                                                          "attach_pdf": "on"})
    assert response.status_code == 200
    assert "“nope” is not a valid e-mail address." in response.content.decode()
    assert OutboxMessage.objects.count() == before
    assert Document.objects.get(pk=draft_offer.pk).status == "draft"


def test_a_drafts_subject_is_left_to_the_template_which_numbers_it(client_for, owner, draft_offer, mailbox):
    client = client_for(owner)
    form = client.get(_url(draft_offer)).context["form"]
    assert form.initial["subject"] == ""
    assert client.post(_url(draft_offer), {"to": "ivan@initech.example", "send": "1"}).status_code == 302
    number = Document.objects.get(pk=draft_offer.pk).number
    [message] = mailbox()
    assert str(message["Subject"]) == f"Offer {number} from Acme Ltd"


def test_preview_shows_the_message_without_sending(client_for, owner, draft_offer):
    before = OutboxMessage.objects.count()
    response = client_for(owner).post(_url(draft_offer), {"to": "ivan@initech.example", "message": "Looking forward",
                                                          "preview": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "Looking forward" in html
    assert "(numbered when sent)" in html
    assert OutboxMessage.objects.count() == before
    assert Document.objects.get(pk=draft_offer.pk).number == ""


def test_a_draft_invoice_offers_to_issue_and_send(client_for, owner, draft_invoice, mailbox):
    client = client_for(owner)
    assert 'name="issue_draft"' in client.get(_url(draft_invoice)).content.decode()
    refused = client.post(_url(draft_invoice), {"to": "ivan@initech.example", "send": "1"})
    assert "Issue the invoice before sending it" in refused.content.decode()
    sent = client.post(_url(draft_invoice), {"to": "ivan@initech.example", "send": "1", "issue_draft": "on"})
    assert sent.status_code == 302
    assert Document.objects.get(pk=draft_invoice.pk).status == "issued"
    assert len(mailbox()) == 1


def test_a_broken_template_is_explained_and_nothing_is_sent(client_for, owner, draft_offer):
    template = Template.objects.create(kind="email", name="offer", language="en")
    TemplateVersion.objects.create(template=template, number=1, subject="Offer", html="<p>{{ nope.nope }}</p>")
    client = client_for(owner)
    page = client.get(_url(draft_offer))
    assert page.status_code == 200 and "The e-mail template cannot be used" in page.content.decode()
    response = client.post(_url(draft_offer), {"to": "ivan@initech.example", "send": "1"})
    assert response.status_code == 200 and "The e-mail template cannot be used" in response.content.decode()
    assert Document.objects.get(pk=draft_offer.pk).status == "draft"


def test_in_bulgarian(client_for, owner, issued_invoice):
    client = client_for(owner)
    client.cookies["tessera_language"] = "bg"
    html = client.get(_url(issued_invoice), HTTP_ACCEPT_LANGUAGE="bg").content.decode()
    assert f"Изпращане на {issued_invoice.number} по имейл" in html and "Копие до" in html


def test_a_read_only_member_gets_403_and_a_hidden_document_404(client_for, read_only, sales_rep, issued_invoice,
                                                               restricted):
    assert client_for(read_only).get(_url(issued_invoice)).status_code == 403
    assert client_for(sales_rep).get(_url(issued_invoice)).status_code == 404


def test_a_void_invoice_has_no_form(client_for, owner, issued_invoice):
    from tenant_apps.sales.services.documents import invoice_void

    invoice_void(document=issued_invoice, actor=owner, reason="Duplicate")
    client = client_for(owner)
    page = client.get(_url(issued_invoice))
    assert page.status_code == 200
    html = page.content.decode()
    assert "A void invoice cannot be sent." in html and 'name="send"' not in html
    assert client.post(_url(issued_invoice), {"to": "ivan@initech.example", "send": "1"}).status_code == 200
    assert not OutboxMessage.objects.filter(payload__subject__icontains=issued_invoice.number).exists()


def test_the_document_page_offers_sending(client_for, owner, read_only, issued_invoice):
    detail = reverse("sales_document_detail", urlconf="config.urls_app", args=[issued_invoice.pk])
    assert _url(issued_invoice) in client_for(owner).get(detail).content.decode()
    assert _url(issued_invoice) not in client_for(read_only).get(detail).content.decode()
