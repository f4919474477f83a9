"""Who sees and changes which tickets: another company, another workspace, roles, and
"sales reps see only their own records"."""

import pytest
from django.db import connection
from django.test import Client

from tenant_apps.contacts.models import Contact
from tenant_apps.tickets.models import Ticket, TicketMessage
from tests.helpers import sign_in
from tests.portal_helpers import make_customer, portal_client_for

from .factories import make_ticket

pytestmark = pytest.mark.django_db


def test_another_company_of_the_workspace_sees_nothing(tenant_a, customer, other_customer, as_portal):
    ticket = make_ticket(tenant_a, contact=customer.contact, subject="Northwind only")
    otto = as_portal(other_customer)
    assert b"Northwind only" not in otto.get("/support/").content
    assert otto.get(f"/support/{ticket.pk}/").status_code == 404
    assert otto.post(f"/support/{ticket.pk}/reply/", {"body": "Mine now"}).status_code == 404
    assert otto.post(f"/support/{ticket.pk}/close/").status_code == 404
    connection.set_tenant(tenant_a)
    ticket.refresh_from_db()
    assert ticket.status == "open" and TicketMessage.objects.filter(ticket=ticket).count() == 1


def test_another_workspace_gets_404(tenant_a, tenant_b, customer, client_for, outsider):
    ticket = make_ticket(tenant_a, contact=customer.contact, subject="Acme's ticket")
    # globex's customer on globex's portal, asking for acme's ticket id
    bea = make_customer(tenant_b, email="bea@umbrella.test", company="Umbrella", name="Bea Beyond")
    assert portal_client_for(bea, tenant_b).get(f"/support/{ticket.pk}/").status_code == 404
    # globex's owner in globex's app
    theirs = Client(HTTP_HOST="globex.localhost")
    sign_in(theirs, outsider, tenant=tenant_b)
    assert theirs.get(f"/tickets/{ticket.pk}/").status_code == 404
    assert theirs.get(f"/api/v1/tickets/{ticket.pk}/").status_code == 404


def test_a_read_only_member_reads_but_cannot_write(tenant_a, customer, client_for, read_only):
    ticket = make_ticket(tenant_a, contact=customer.contact)
    client = client_for(read_only)
    page = client.get(f"/tickets/{ticket.pk}/")
    assert page.status_code == 200 and b"It is on fire." in page.content
    assert b'name="body"' not in page.content
    assert client.post(f"/tickets/{ticket.pk}/reply/", {"body": "Sneaky"}).status_code == 403
    assert client.post(f"/tickets/{ticket.pk}/update/", {"status": "closed", "priority": 2}).status_code == 403
    connection.set_tenant(tenant_a)
    ticket.refresh_from_db()
    assert ticket.status == "open" and ticket.messages.count() == 1


def test_a_limited_sales_rep_sees_tickets_of_their_contacts_and_their_own(restricted, client_for, sales_rep, owner):
    mine = Contact.objects.create(first_name="Mine", email="mine@c.test", owner=sales_rep)
    theirs = Contact.objects.create(first_name="Theirs", email="theirs@c.test", owner=owner)
    of_my_contact = make_ticket(restricted, contact=mine, subject="About my contact")
    assigned = make_ticket(restricted, contact=theirs, subject="Given to me", assignee=sales_rep)
    hidden = make_ticket(restricted, contact=theirs, subject="Not for me")
    client = client_for(sales_rep)
    listing = client.get("/tickets/").content.decode()
    assert "About my contact" in listing and "Given to me" in listing and "Not for me" not in listing
    assert client.get(f"/tickets/{of_my_contact.pk}/").status_code == 200
    assert client.get(f"/tickets/{assigned.pk}/").status_code == 200
    assert client.get(f"/tickets/{hidden.pk}/").status_code == 404
    assert client.post(f"/tickets/{hidden.pk}/reply/", {"body": "x"}).status_code == 404


def test_support_members_answer_tickets_and_can_be_assigned(tenant_a, customer, client_for, owner):
    from shared_apps.accounts.models import Membership
    from tests.helpers import make_user

    connection.set_schema_to_public()
    agent = make_user("agent@acme.test", "Sue Support")
    Membership.objects.create(user=agent, tenant=tenant_a, role="support")
    ticket = make_ticket(tenant_a, contact=customer.contact)
    response = client_for(owner).post(f"/tickets/{ticket.pk}/update/",
                                      {"status": "open", "priority": 3, "assignee": agent.pk})
    assert response.status_code == 302
    connection.set_tenant(tenant_a)
    ticket.refresh_from_db()
    assert (ticket.assignee_id, ticket.priority) == (agent.pk, 3)
    from tenant_apps.notifications.models import Notification

    assert Notification.objects.get(user=agent).title == f"Olivia Owner gave you ticket #{ticket.pk}"
    assert client_for(agent).post(f"/tickets/{ticket.pk}/reply/", {"body": "On it."}).status_code == 302


def test_a_read_only_member_cannot_be_assigned(tenant_a, customer, client_for, owner, read_only):
    ticket = make_ticket(tenant_a, contact=customer.contact)
    response = client_for(owner).post(f"/tickets/{ticket.pk}/update/",
                                      {"status": "open", "priority": 2, "assignee": read_only.pk})
    assert response.status_code == 400
    connection.set_tenant(tenant_a)
    assert Ticket.objects.get(pk=ticket.pk).assignee_id is None


def test_merging_contacts_keeps_their_tickets(in_acme, owner):
    from tenant_apps.contacts.services import contact_merge

    keep = Contact.objects.create(first_name="Keep", email="keep@c.test", owner=owner)
    dup = Contact.objects.create(first_name="Dup", email="dup@c.test", owner=owner)
    ticket = make_ticket(in_acme, contact=dup)
    contact_merge(primary=keep, duplicates=[dup], actor=owner)
    ticket.refresh_from_db()
    assert ticket.contact_id == keep.pk
