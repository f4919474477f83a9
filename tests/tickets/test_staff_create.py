"""Staff open a ticket from the app (a phone call written down): from the contact's page
or by finding the customer on the new-ticket page. The customer gets the message by
e-mail over the loopback SMTP server; bad input loses nothing and creates nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tenant_apps.contacts.models import Contact
from tenant_apps.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _form(contact, **extra):
    return {"contact": contact.pk, "subject": "Called about invoice 42", "body": "As discussed on the phone: we "
            "will send a corrected invoice.", "priority": 3, "assignee": "", **extra}


def test_a_writer_opens_a_ticket_from_the_contact_page_and_the_customer_is_mailed(
    tenant_a, customer, client_for, admin, mailbox
):
    client = client_for(admin)
    contact_page = client.get(customer.contact.get_absolute_url()).content.decode()
    assert f"/tickets/new/?contact={customer.contact_id}" in contact_page
    form_page = client.get(f"/tickets/new/?contact={customer.contact_id}")
    assert form_page.status_code == 200 and "Nora Customer" in form_page.content.decode()

    response = client.post("/tickets/new/", {
        **_form(customer.contact, assignee=admin.pk),
        "attachments": [SimpleUploadedFile("notes.txt", b"call notes", content_type="text/plain")],
    })

    connection.set_tenant(tenant_a)
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tickets/{ticket.pk}/"
    assert (ticket.contact_id, ticket.subject, ticket.priority, ticket.assignee_id, ticket.status,
            ticket.opened_by_kind) == (customer.contact_id, "Called about invoice 42", 3, admin.pk, "pending", "staff")
    [message] = ticket.messages.all()
    assert message.author_id == admin.pk and not message.internal and message.attachments.count() == 1
    [mail] = [m for m in mailbox() if "nora@northwind.test" in m["To"]]
    assert f"[#{ticket.pk}] Called about invoice 42" in mail["Subject"]
    assert "corrected invoice" in mail.get_body(preferencelist=("plain",)).get_content()
    detail = client.get(response["Location"]).content.decode()
    assert "nora@northwind.test" in detail  # the confirmation names where the message went


def test_the_customer_is_found_by_search_on_the_new_ticket_page(tenant_a, customer, client_for, admin):
    client = client_for(admin)
    listing = client.get("/tickets/").content.decode()
    assert 'href="/tickets/new/"' in listing
    page = client.get("/tickets/new/", {"q": "nora"})
    assert page.status_code == 200
    assert f'href="?contact={customer.contact_id}"' in page.content.decode()
    short = client.get("/tickets/new/", {"q": "n"})
    assert short.status_code == 200 and "Type at least" in short.content.decode()


def test_bad_input_is_refused_in_the_users_language_and_nothing_is_created(tenant_a, customer, client_for, admin):
    client = client_for(admin)
    empty = client.post("/tickets/new/", _form(customer.contact, subject="   ", body=""))
    assert empty.status_code == 400
    too_many = client.post("/tickets/new/", {**_form(customer.contact), "attachments": [
        SimpleUploadedFile(f"f{i}.txt", b"x", content_type="text/plain") for i in range(6)]})
    assert too_many.status_code == 400
    wrong_type = client.post("/tickets/new/", {**_form(customer.contact), "attachments": [
        SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")]})
    assert wrong_type.status_code == 400
    no_contact = client.post("/tickets/new/", {**_form(customer.contact), "contact": ""})
    assert no_contact.status_code == 400 and "Choose the customer first" in no_contact.content.decode()
    from shared_apps.accounts.models import User

    User.objects.filter(pk=admin.pk).update(language="bg")
    bulgarian = client_for(admin).post("/tickets/new/", _form(customer.contact, subject=""))
    assert bulgarian.status_code == 400 and "Това поле е задължително" in bulgarian.content.decode()
    connection.set_tenant(tenant_a)
    assert not Ticket.objects.exists()


def test_nobody_else_opens_tickets_or_sees_the_contact(tenant_a, tenant_b, customer, client_for, read_only, outsider):
    from django.test import Client

    from tests.helpers import sign_in

    reader = client_for(read_only)
    assert reader.get(f"/tickets/new/?contact={customer.contact_id}").status_code == 403
    assert reader.post("/tickets/new/", _form(customer.contact)).status_code == 403
    assert "/tickets/new/" not in reader.get("/tickets/").content.decode()
    anonymous = Client(HTTP_HOST="acme.localhost")
    assert anonymous.post("/tickets/new/", _form(customer.contact)).status_code == 302
    # Globex's user on their own host, naming acme's contact id: that id means nothing there.
    globex = Client(HTTP_HOST="globex.localhost")
    sign_in(globex, outsider, tenant=tenant_b)
    connection.set_tenant(tenant_b)
    assert not Contact.objects.filter(pk=customer.contact_id).exists()
    connection.set_schema_to_public()
    for answer in (globex.get(f"/tickets/new/?contact={customer.contact_id}"),
                   globex.post("/tickets/new/", _form(customer.contact))):
        assert answer.status_code == 404 and "Nora" not in answer.content.decode()
    # ... nor does their session replayed on acme's host.
    replayed = Client(HTTP_HOST="acme.localhost")
    replayed.cookies = globex.cookies
    assert replayed.post("/tickets/new/", _form(customer.contact)).status_code in (302, 403, 404)
    connection.set_tenant(tenant_a)
    assert not Ticket.objects.exists()


def test_odd_ids_in_the_address_are_not_errors(tenant_a, customer, client_for, admin):
    client = client_for(admin)
    for url in ("/tickets/new/?contact=²", "/tickets/new/?contact=99999999999999999999", "/tickets/?assignee=²",
                "/tickets/?contact=٣"):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/tickets/new/?contact={customer.contact_id}").content.decode()
    assert 'for="id_contact"' not in page and 'type="hidden" name="contact"' in page
