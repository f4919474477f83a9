"""contact_for_email: the oldest contact having the address, as its main address or one of
its others, whatever the letter case; a fixed, small number of indexed queries."""

import pytest

from portal.selectors import contact_for_email
from tenant_apps.contacts.models import Contact, ContactEmail


@pytest.mark.django_db
def test_the_oldest_contact_with_the_address_in_any_case(in_acme, django_assert_max_num_queries):
    listed = Contact.objects.create(first_name="Listed", email="other@northwind.example")
    ContactEmail.objects.create(contact=listed, email="Nora@Northwind.Example")
    Contact.objects.create(first_name="Newer", email="NORA@northwind.example")
    with django_assert_max_num_queries(3):
        assert contact_for_email("  nora@NORTHWIND.example ") == listed
    assert contact_for_email("nobody@northwind.example") is None
    assert contact_for_email("") is None
