"""The ticket conversation both ways, with real mail over loopback SMTP.

Nora (Northwind) asks on the portal → acme's admins hear of it (in the app, by e-mail);
Adam answers in the app → Nora gets an e-mail whose link opens the ticket on the portal;
Nora answers there → Adam (now the assignee) hears of it. Internal notes stay inside."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from tenant_apps.activities.models import Activity
from tenant_apps.notifications.models import Notification
from tenant_apps.tickets.models import Ticket, TicketMessage

pytestmark = pytest.mark.django_db


def _html_and_text(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def _to(messages, address):
    return [m for m in messages if address in m["To"]]


def test_the_conversation_both_ways(tenant_a, customer, customer_client, client_for, admin, owner, mailbox):
    # given Nora opens a ticket on the portal, with a file
    response = customer_client.post("/support/new/", {
        "subject": "Invoice 42 is wrong", "body": "The total is off.\nPlease check.",
        "attachments": [SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan", content_type="application/pdf")],
    })
    connection.set_tenant(tenant_a)
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/support/{ticket.pk}/"
    assert (ticket.status, ticket.contact_id, ticket.company_id) == ("open", customer.contact_id,
                                                                      customer.contact.company_id)
    # then the owners and admins hear of it, in the app and by e-mail
    titles = set(Notification.objects.filter(kind="ticket").values_list("user__email", "title"))
    assert titles == {(u.email, "New ticket from Nora Customer: Invoice 42 is wrong") for u in (owner, admin)}
    mail = mailbox()
    to_admin = _to(mail, admin.email)
    assert len(to_admin) == 1 and len(_to(mail, owner.email)) == 1
    text, _html = _html_and_text(to_admin[0])
    assert "The total is off." in text
    assert re.search(rf"http://acme\.localhost(:\d+)?/tickets/{ticket.pk}/", text)
    # and the contact's timeline says so
    event = Activity.objects.get(contact=customer.contact, event="ticket_opened")
    assert event.data["ticket_id"] == ticket.pk

    # when Adam answers in the app, with an internal note first
    adam = client_for(admin)
    page = adam.get(f"/tickets/{ticket.pk}/")
    assert page.status_code == 200 and b"The total is off.<br>Please check." in page.content
    assert b"scan.pdf" in page.content
    adam.post(f"/tickets/{ticket.pk}/reply/", {"body": "Looks like a refund case, ask finance.", "internal": "on"})
    response = adam.post(f"/tickets/{ticket.pk}/reply/", {"body": "We are on it: a credit note follows."})
    assert response.status_code == 302
    connection.set_tenant(tenant_a)
    ticket.refresh_from_db()
    assert ticket.status == "pending" and ticket.assignee_id == admin.pk
    # then Nora gets one e-mail (the answer, never the note), with a link to the ticket
    mail = _to(mailbox(), customer.contact.email)
    assert len(mail) == 1
    text, html = _html_and_text(mail[0])
    assert "credit note follows" in text and "finance" not in text and "finance" not in html
    assert mail[0]["Subject"] == f"[#{ticket.pk}] Invoice 42 is wrong"
    assert "Acme Ltd" in mail[0]["From"]
    link = re.search(r"https?://[^\s\"'<>]+", text.split("Open the ticket:")[1]).group(0)
    assert re.fullmatch(rf"http://acme\.portal\.localhost(:\d+)?/support/{ticket.pk}/", link), link
    # and the link opens the ticket for her, without the internal note
    page = customer_client.get(urlsplit(link).path)
    assert page.status_code == 200
    assert b"credit note follows" in page.content and b"finance" not in page.content

    # when Nora answers on the portal
    response = customer_client.post(f"/support/{ticket.pk}/reply/", {"body": "Thanks, waiting for it."})
    assert response.status_code == 302
    connection.set_tenant(tenant_a)
    ticket.refresh_from_db()
    assert ticket.status == "open"
    # then only Adam, the assignee, hears of it
    notes = Notification.objects.filter(kind="ticket", title__contains="wrote on ticket")
    assert [n.user_id for n in notes] == [admin.pk]
    mail = mailbox()
    assert len(_to(mail, admin.email)) == 2 and len(_to(mail, owner.email)) == 1
    assert list(TicketMessage.objects.filter(ticket=ticket).values_list("author_kind", "internal")) == [
        ("customer", False), ("staff", True), ("staff", False), ("customer", False)]


def test_nora_closes_her_ticket_and_reopens_it_by_writing(tenant_a, customer, customer_client, mailbox):
    customer_client.post("/support/new/", {"subject": "Login broken", "body": "Cannot sign in."})
    connection.set_tenant(tenant_a)
    ticket = Ticket.objects.get()
    assert customer_client.post(f"/support/{ticket.pk}/close/").status_code == 302
    connection.set_tenant(tenant_a)
    ticket.refresh_from_db()
    assert ticket.status == "closed" and ticket.closed_at is not None
    customer_client.post(f"/support/{ticket.pk}/reply/", {"body": "It broke again."})
    connection.set_tenant(tenant_a)
    ticket.refresh_from_db()
    assert ticket.status == "open" and ticket.closed_at is None


def test_a_colleague_of_the_same_company_follows_the_ticket(tenant_a, customer, colleague, customer_client, as_portal):
    customer_client.post("/support/new/", {"subject": "Shared question", "body": "Anyone?"})
    connection.set_tenant(tenant_a)
    ticket = Ticket.objects.get()
    ned = as_portal(colleague)
    assert b"Shared question" in ned.get("/support/").content
    assert ned.get(f"/support/{ticket.pk}/").status_code == 200


def test_staff_mail_to_a_bulgarian_customer_is_in_bulgarian(tenant_a, customer, client_for, admin, mailbox):
    from shared_apps.accounts.models import User

    from .factories import make_ticket

    User.objects.filter(pk=customer.user_id).update(language="bg")
    ticket = make_ticket(tenant_a, contact=customer.contact)
    client_for(admin).post(f"/tickets/{ticket.pk}/reply/", {"body": "Готово."})
    mail = _to(mailbox(), customer.contact.email)
    assert len(mail) == 1
    text, _html = _html_and_text(mail[0])
    assert "Готово." in text and "Отворете" in text


def test_a_refused_reply_writes_and_sends_nothing(tenant_a, customer, client_for, admin, mailbox):
    from .factories import make_ticket

    ticket = make_ticket(tenant_a, contact=customer.contact)
    response = client_for(admin).post(f"/tickets/{ticket.pk}/reply/", {
        "body": "Here you go.",
        "attachments": [SimpleUploadedFile("evil.exe", b"MZ", content_type="application/octet-stream")],
    })
    assert response.status_code == 400
    assert "evil.exe" in response.content.decode()
    connection.set_tenant(tenant_a)
    assert TicketMessage.objects.filter(ticket=ticket).count() == 1
    assert _to(mailbox(), customer.contact.email) == []


def test_the_portal_menu_has_support(tenant_a, customer_client):
    page = customer_client.get("/")
    assert b'href="/support/"' in page.content


def test_anonymous_portal_visitors_are_sent_to_sign_in(tenant_a):
    response = Client(HTTP_HOST="acme.portal.localhost").get("/support/new/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_her_data_export_holds_her_tickets_without_internal_notes(tenant_a, customer, customer_client, client_for, admin,
                                                                 other_customer):
    import json

    # given Nora's ticket with an answer and an internal note, and Otto's ticket
    customer_client.post("/support/new/", {"subject": "Where is my order?", "body": "Ordered last week.",
                                           "attachments": [SimpleUploadedFile("order.pdf", b"%PDF-1.4",
                                                                              content_type="application/pdf")]})
    connection.set_tenant(tenant_a)
    ticket = Ticket.objects.get(contact=customer.contact)
    adam = client_for(admin)
    adam.post(f"/tickets/{ticket.pk}/reply/", {"body": "Check the warehouse first.", "internal": "on"})
    adam.post(f"/tickets/{ticket.pk}/reply/", {"body": "It ships tomorrow."})
    from tests.portal_helpers import portal_client_for

    portal_client_for(other_customer, tenant_a).post("/support/new/", {"subject": "Otto's question", "body": "Hi"})
    connection.set_schema_to_public()
    # when she downloads her data
    data = json.loads(customer_client.post("/profile/data/").content)
    # then her ticket is there with what she saw, and nothing else
    assert [t["subject"] for t in data["tickets"]] == ["Where is my order?"]
    messages = data["tickets"][0]["messages"]
    assert [(m["from"], m["text"]) for m in messages] == [("customer", "Ordered last week."),
                                                          ("staff", "It ships tomorrow.")]
    assert messages[0]["files"] == ["order.pdf"]
    assert "warehouse" not in json.dumps(data)
