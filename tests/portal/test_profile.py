"""Nora corrects her own name, phone and address in the portal, through the contacts
service: the history names her and the portal; her sign-in e-mail does not change."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _contact(tenant, pk):
    from tenant_apps.contacts.models import Contact

    connection.set_tenant(tenant)
    try:
        return Contact.objects.prefetch_related("phones").get(pk=pk)
    finally:
        connection.set_schema_to_public()


def test_the_form_shows_her_details(customer, customer_client):
    response = customer_client.get("/profile/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Nora"' in page and 'value="Customer"' in page
    assert "nora@northwind.test" in page  # named as the sign-in address, not editable
    assert 'name="email"' not in page


def test_saving_updates_the_contact_with_history(customer, customer_client, tenant_a):
    # when
    response = customer_client.post("/profile/", {
        "first_name": "Nora", "last_name": "Novak", "phone": "0888 123 456", "address_line1": "1 Vitosha Blvd",
        "postal_code": "1000", "city": "Sofia", "country": "Bulgaria", "email": "evil@attacker.test",
    })
    # then
    assert response.status_code == 302 and response["Location"] == "/profile/"
    contact = _contact(tenant_a, customer.contact_id)
    assert (contact.last_name, contact.city, contact.address_line1) == ("Novak", "Sofia", "1 Vitosha Blvd")
    assert contact.phone == "+359888123456"
    assert [p.number for p in contact.phones.all()] == ["+359888123456"]
    assert contact.email == "nora@northwind.test"
    from tenant_apps.records.history_selectors import record_history

    connection.set_tenant(tenant_a)
    history = record_history(record=contact)
    connection.set_schema_to_public()
    change = next(entry for entry in history
                  if any(c["field"] == "last_name" and c["new"] == "Novak" for c in entry["changes"]))
    assert change["door"] == "portal" and change["user_id"] == customer.user_id


def test_an_unchanged_form_writes_nothing(customer, customer_client, tenant_a):
    from django.apps import apps

    ContactEvent = apps.get_model("contacts.ContactEvent")
    connection.set_tenant(tenant_a)
    events = ContactEvent.objects.filter(pgh_obj_id=customer.contact_id).count()
    connection.set_schema_to_public()
    response = customer_client.post("/profile/", {"first_name": "Nora", "last_name": "Customer"})
    assert response.status_code == 302
    connection.set_tenant(tenant_a)
    assert ContactEvent.objects.filter(pgh_obj_id=customer.contact_id).count() == events
    connection.set_schema_to_public()


def test_a_bad_phone_is_a_clear_refusal(customer, customer_client, tenant_a):
    response = customer_client.post("/profile/", {"first_name": "Nora", "last_name": "Novak", "phone": "call me maybe"})
    assert response.status_code == 400
    assert b'class="errors"' in response.content
    assert _contact(tenant_a, customer.contact_id).last_name == "Customer"  # nothing written


def test_a_name_is_required(customer, customer_client, tenant_a):
    response = customer_client.post("/profile/", {"first_name": "", "last_name": ""})
    assert response.status_code == 400
    assert b"Enter your name." in response.content


def test_she_changes_only_her_own_contact(customer, other_customer, customer_client, tenant_a):
    customer_client.post("/profile/", {"first_name": "Nora", "last_name": "Novak"})
    assert _contact(tenant_a, other_customer.contact_id).last_name == "Other"
