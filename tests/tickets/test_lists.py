"""The ticket lists: filters, and a fixed number of queries however many tickets."""

import pytest
from django.db import connection

from tenant_apps.tickets.models import Ticket

from .factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(tenant_a, customer, colleague, admin):
    for n in range(12):
        make_ticket(tenant_a, contact=(customer if n % 2 else colleague).contact, subject=f"Question {n}",
                    assignee=admin if n % 3 == 0 else None, with_file=n % 4 == 0)
    Ticket.objects.filter(subject="Question 1").update(status="closed")
    Ticket.objects.filter(subject="Question 2").update(status="pending")
    return Ticket.objects.all()


def test_the_staff_list_filters_by_status_and_assignee(many, client_for, admin, owner):
    client = client_for(admin)
    page = client.get("/tickets/").content.decode()
    assert "Question 2" in page and "Question 1<" not in page
    assert "Question 1<" in client.get("/tickets/?status=closed").content.decode()
    mine = client.get("/tickets/?assignee=me").content.decode()
    assert "Question 0" in mine and "Question 3" in mine and "Question 4" not in mine
    nobody = client.get("/tickets/?assignee=none").content.decode()
    assert "Question 4" in nobody and "Question 0" not in nobody
    by_id = client_for(owner).get(f"/tickets/?assignee={admin.pk}").content.decode()
    assert "Question 0" in by_id and "Question 4" not in by_id
    assert client.get("/tickets/?status=bogus&assignee=bogus").status_code == 200


def test_the_staff_list_and_ticket_read_a_fixed_number_of_queries(many, client_for, admin,
                                                                    django_assert_max_num_queries):
    client = client_for(admin)
    client.get("/tickets/")  # warm the per-process caches (branding, host)
    with django_assert_max_num_queries(16):
        response = client.get("/tickets/?status=all")
    assert response.content.decode().count("data-ticket=") == 12
    ticket = Ticket.objects.order_by("pk").first()
    with django_assert_max_num_queries(20):
        assert client.get(f"/tickets/{ticket.pk}/").status_code == 200


def test_the_portal_list_reads_a_fixed_number_of_queries(many, customer, as_portal, django_assert_max_num_queries):
    client = as_portal(customer)
    client.get("/support/")
    with django_assert_max_num_queries(12):
        response = client.get("/support/")
    # Nora and Ned are both of Northwind: she sees all twelve.
    assert response.content.decode().count("data-ticket=") == 12


def test_contact_and_company_pages_show_their_tickets_and_the_timeline_entry(tenant_a, customer, customer_client,
                                                                             client_for, owner):
    customer_client.post("/support/new/", {"subject": "Where is my order", "body": "Order 7 is late."})
    connection.set_tenant(tenant_a)
    ticket = Ticket.objects.get()
    client = client_for(owner)
    page = client.get(f"/contacts/{customer.contact_id}/").content.decode()
    assert f'href="/tickets/{ticket.pk}/"' in page
    assert f"Opened ticket #{ticket.pk}: Where is my order" in page
    page = client.get(f"/companies/{customer.contact.company_id}/").content.decode()
    assert f'data-ticket="{ticket.pk}"' in page
    listing = client.get(f"/tickets/?status=all&company={customer.contact.company_id}").content.decode()
    assert listing.count("data-ticket=") == 1
