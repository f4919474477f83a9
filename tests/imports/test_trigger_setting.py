"""pgtrigger.ignore is an empty list on every connection (config/settings/base.py), so
that history triggers do not raise and roll back a subtransaction per row in bulk writes.
It must ignore nothing, and pgtrigger.ignore() must still work and return to it."""

import pgtrigger
import pytest
from django.db import connection

from tenant_apps.contacts.models import Contact
from tenant_apps.contacts.services import contact_create
from tenant_apps.records.history_selectors import record_history

pytestmark = pytest.mark.django_db


def _setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('pgtrigger.ignore', true)")
        return cursor.fetchone()[0]


def test_connections_start_with_an_empty_ignore_list_and_history_is_written(in_acme, owner):
    # then
    assert _setting() == "{}"
    # when
    contact = contact_create(actor=owner, data={"first_name": "Ivan", "emails": ["ivan@example.com"]})
    # then: the contact and its address were recorded
    assert {e["label"] for e in record_history(record=contact)} == {"insert"}
    assert len(record_history(record=contact)) == 2


def test_ignore_context_still_skips_its_trigger_and_returns_to_the_empty_list(in_acme, owner):
    # given
    contact = contact_create(actor=owner, data={"first_name": "Ivan"})
    before = len(record_history(record=contact))
    # when
    with pgtrigger.ignore("contacts.Contact:update_update"):
        Contact.objects.filter(pk=contact.pk).update(first_name="Ignored")
    Contact.objects.filter(pk=contact.pk).update(first_name="Recorded")
    # then
    assert _setting() == "{}"
    with connection.cursor() as cursor:
        cursor.execute("SET pgtrigger.ignore = '{other}'")
        cursor.execute("RESET pgtrigger.ignore")
    assert _setting() == "{}"
    assert [e["label"] for e in record_history(record=contact)].count("update") == 1
    assert len(record_history(record=contact)) == before + 1
