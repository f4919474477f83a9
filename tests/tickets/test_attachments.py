"""Attachment limits (size, type, count) and downloads only through permission checks."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tenant_apps.tickets.attachments import MAX_SIZE
from tenant_apps.tickets.models import Ticket, TicketAttachment

from .factories import make_ticket

pytestmark = pytest.mark.django_db


def _file(name="a.pdf", size=10, content_type="application/pdf"):
    return SimpleUploadedFile(name, b"x" * size, content_type=content_type)


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ([_file("big.pdf", MAX_SIZE + 1)], "“big.pdf” is larger than 10.0"),
        ([_file("run.exe", 10, "application/pdf")], "“run.exe” is not a file type we accept"),
        ([_file("page.html", 10, "text/html")], "“page.html” is not a file type we accept"),
        ([_file(f"{n}.pdf") for n in range(6)], "At most 5 files per message."),
    ],
    ids=["too-big", "wrong-type-despite-claimed-pdf", "html", "too-many"],
)
def test_the_portal_refuses_files_past_the_limits(tenant_a, customer_client, files, problem):
    response = customer_client.post("/support/new/", {"subject": "Files", "body": "See attached.", "attachments": files})
    assert response.status_code == 400
    assert problem in response.content.decode()
    connection.set_tenant(tenant_a)
    assert not Ticket.objects.exists()


def test_five_allowed_files_are_stored_under_the_workspace(tenant_a, customer_client):
    files = [_file(f"doc{n}.pdf") for n in range(4)] + [_file("shot.PNG", 20, "image/png")]
    response = customer_client.post("/support/new/", {"subject": "Files", "body": "See attached.", "attachments": files})
    assert response.status_code == 302
    connection.set_tenant(tenant_a)
    stored = list(TicketAttachment.objects.order_by("pk"))
    assert [a.original_name for a in stored] == ["doc0.pdf", "doc1.pdf", "doc2.pdf", "doc3.pdf", "shot.PNG"]
    assert stored[-1].content_type == "image/png" and stored[-1].size == 20
    assert all(a.file.name.startswith(f"tenants/{tenant_a.schema_name}/tickets/") for a in stored)


def test_downloads_are_attachments_for_those_who_may_see_them(tenant_a, customer, other_customer, as_portal,
                                                              client_for, read_only):
    ticket = make_ticket(tenant_a, contact=customer.contact, with_file=True)
    attachment = ticket.messages.get().attachments.get()
    # given Nora's own portal session
    response = as_portal(customer).get(f"/support/files/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="photo.png"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"\x89PNG"
    # another company's customer: nothing
    assert as_portal(other_customer).get(f"/support/files/{attachment.pk}/").status_code == 404
    # a read-only member of the workspace may read it in the app
    response = client_for(read_only).get(f"/tickets/attachments/{attachment.pk}/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")


def test_files_on_internal_notes_never_reach_the_portal(tenant_a, customer, as_portal):
    from django.core.files.base import ContentFile

    from tenant_apps.tickets.models import TicketMessage

    ticket = make_ticket(tenant_a, contact=customer.contact)
    note = TicketMessage.objects.create(ticket=ticket, author_kind="staff", body="Internal", internal=True)
    attachment = TicketAttachment(message=note, original_name="internal.txt", size=3, content_type="text/plain")
    attachment.file.save("internal.txt", ContentFile(b"abc"), save=False)
    attachment.save()
    client = as_portal(customer)
    assert client.get(f"/support/files/{attachment.pk}/").status_code == 404
    assert b"internal.txt" not in client.get(f"/support/{ticket.pk}/").content


def test_media_url_does_not_serve_ticket_files(tenant_a, customer, as_portal):
    ticket = make_ticket(tenant_a, contact=customer.contact, with_file=True)
    attachment = ticket.messages.get().attachments.get()
    response = as_portal(customer).get(f"/media-not-served/{attachment.file.name}")
    assert response.status_code == 404
