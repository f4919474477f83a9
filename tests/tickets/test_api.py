"""/api/v1/tickets/: list and filter, retrieve, create, the conversation, answers, status."""

import pytest
from django.db import connection

from tenant_apps.tickets.models import Ticket, TicketMessage

from .factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client_for, admin):
    return client_for(admin)


def test_list_filter_and_retrieve(tenant_a, customer, api, admin, django_assert_max_num_queries):
    for n in range(5):
        make_ticket(tenant_a, contact=customer.contact, subject=f"Q{n}", assignee=admin if n < 2 else None)
    Ticket.objects.filter(subject="Q4").update(status="closed")
    api.get("/api/v1/tickets/")
    with django_assert_max_num_queries(10):
        body = api.get("/api/v1/tickets/").json()
    assert [t["subject"] for t in body["results"]] == ["Q4", "Q3", "Q2", "Q1", "Q0"]
    assert body["results"][0]["contact"]["email"] == "nora@northwind.test"
    assert [t["subject"] for t in api.get("/api/v1/tickets/?status=closed").json()["results"]] == ["Q4"]
    assert [t["subject"] for t in api.get("/api/v1/tickets/?assignee=me").json()["results"]] == ["Q1", "Q0"]
    assert len(api.get("/api/v1/tickets/?assignee=none").json()["results"]) == 3
    one = Ticket.objects.get(subject="Q0")
    assert api.get(f"/api/v1/tickets/{one.pk}/").json()["assignee"]["id"] == admin.pk
    error = api.get("/api/v1/tickets/999999/").json()["error"]
    assert error["code"] == "not_found"


def test_create_answer_and_close(tenant_a, customer, api, admin, mailbox):
    response = api.post("/api/v1/tickets/", {"contact": customer.contact_id, "subject": "Called in",
                                             "body": "As discussed on the phone: done.", "priority": 3},
                        content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["status"], created["priority"], created["opened_by_kind"]) == ("pending", 3, "staff")
    pk = created["id"]
    # the first message is mailed to the customer
    assert [m["To"] for m in mailbox()] == ["nora@northwind.test"]
    response = api.post(f"/api/v1/tickets/{pk}/messages/", {"body": "Internal: check billing", "internal": True},
                        content_type="application/json")
    assert response.status_code == 201 and response.json()["internal"] is True
    conversation = api.get(f"/api/v1/tickets/{pk}/messages/").json()
    assert [(m["author_kind"], m["internal"]) for m in conversation] == [("staff", False), ("staff", True)]
    assert len(mailbox()) == 1  # the note is not mailed
    response = api.patch(f"/api/v1/tickets/{pk}/", {"status": "closed", "assignee": None},
                         content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    connection.set_tenant(tenant_a)
    assert Ticket.objects.get(pk=pk).closed_at is not None


def test_answers_with_files_through_multipart(tenant_a, customer, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ticket = make_ticket(tenant_a, contact=customer.contact)
    response = api.post(f"/api/v1/tickets/{ticket.pk}/messages/", {
        "body": "Here is the log.", "attachments": [SimpleUploadedFile("app.log", b"line", content_type="text/plain")],
    })
    assert response.status_code == 201, response.content
    attachment = response.json()["attachments"][0]
    assert attachment["original_name"] == "app.log"
    assert api.get(attachment["download_url"]).status_code == 200


def test_errors_have_the_api_shape(tenant_a, customer, api, read_only, client_for):
    ticket = make_ticket(tenant_a, contact=customer.contact)
    error = api.post("/api/v1/tickets/", {"contact": 999999, "subject": "", "body": "x"},
                     content_type="application/json").json()["error"]
    assert error["code"] == "validation_error" and "subject" in error["fields"]
    error = api.post("/api/v1/tickets/", {"contact": 999999, "subject": "S", "body": "x"},
                     content_type="application/json").json()["error"]
    assert error["fields"] == {"contact": ["Choose a contact you can see."]}
    error = api.patch(f"/api/v1/tickets/{ticket.pk}/", {"status": "nonsense"},
                      content_type="application/json").json()["error"]
    assert error["code"] == "validation_error" and "status" in error["fields"]
    reader = client_for(read_only)
    response = reader.post(f"/api/v1/tickets/{ticket.pk}/messages/", {"body": "no"}, content_type="application/json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    connection.set_tenant(tenant_a)
    assert TicketMessage.objects.filter(ticket=ticket).count() == 1


def test_the_schema_documents_the_ticket_endpoints(api):
    schema = api.get("/api/schema/?format=json").json()
    assert {"/api/v1/tickets/", "/api/v1/tickets/{id}/", "/api/v1/tickets/{id}/messages/"} <= set(schema["paths"])
