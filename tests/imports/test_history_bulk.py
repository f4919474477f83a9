"""An import writes the history insert events of its new records in one statement per
table (writing.insert_events_in_bulk) instead of a trigger per row: the events must be
the ones the triggers write, and everything else must still go through the triggers."""

import pytest
from django.db import connection

from tenant_apps.companies.models import Company
from tenant_apps.contacts.models import Contact, ContactEmail, ContactPhone
from tenant_apps.contacts.services import contact_create
from tenant_apps.imports.services import import_job_create
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = ["First name", "Last name", "E-mail", "Phone", "Company"]


def _events(model, **filters):
    from tenant_apps.imports.writing import _insert_trigger

    event_model = _insert_trigger(model).event_model
    return list(event_model.objects.filter(**filters).order_by("pgh_id").select_related("pgh_context"))


def test_imported_records_get_the_same_insert_events_as_the_triggers_write(in_acme, owner, upload, run_import):
    # given: one contact written through the service (its trigger writes the events)
    by_service = contact_create(actor=owner, data={"first_name": "Ivan", "last_name": "Petrov",
                                                   "emails": ["ivan@example.com"], "phones": ["0888 123 456"]})
    rows = [["Maria", "Ivanova", "maria@example.com; m2@example.com", "0888 654 321", "New Co"],
            ["Petar", "", "petar@example.com", "", ""]]
    # when
    job = run_import(import_job_create(actor=owner, upload=upload(csv_bytes([HEADER, *rows])), entity="contact"), owner)
    # then: one insert event per new row, carrying every tracked value, the door and the actor
    assert job.created_count == 2
    for contact in Contact.objects.filter(import_job_id=job.pk):
        [event] = _events(Contact, pgh_obj_id=contact.pk)
        assert event.pgh_label == "insert"
        assert event.pgh_context.metadata["door"] == "import" and event.pgh_context.metadata["user"] == owner.pk
        for field in event._meta.concrete_fields:
            if not field.name.startswith("pgh_"):
                assert getattr(event, field.attname) == getattr(contact, field.attname), field.name
    maria = Contact.objects.get(email="maria@example.com")
    assert sorted(e.email for e in _events(ContactEmail, contact_id=maria.pk)) == ["m2@example.com", "maria@example.com"]
    assert [(e.number, e.pgh_label) for e in _events(ContactPhone, contact_id=maria.pk)] == [("+359888654321", "insert")]
    company = Company.objects.get(import_job_id=job.pk)
    assert [e.pgh_label for e in _events(Company, pgh_obj_id=company.pk)] == ["insert"]
    # the service's contact has its own events, once: the import's statements did not touch it
    assert len(_events(Contact, pgh_obj_id=by_service.pk)) == 1
    assert len(_events(ContactEmail, contact_id=by_service.pk)) == 1


def test_updates_during_an_import_are_still_recorded_per_row(in_acme, owner, upload, run_import):
    # given
    existing = contact_create(actor=owner, data={"first_name": "Ivan", "emails": ["ivan@example.com"]})
    # when
    job = run_import(import_job_create(actor=owner, upload=upload(csv_bytes([HEADER, ["", "Petrov", "ivan@example.com",
                                                                                       "0888 123 456", ""]])),
                                       entity="contact"), owner)
    # then: the update and the added number by the triggers; nothing is left ignored afterwards
    assert job.updated_count == 1
    labels = [e.pgh_label for e in _events(Contact, pgh_obj_id=existing.pk)]
    assert labels[0] == "insert" and set(labels[1:]) == {"update"}
    assert [e.pgh_label for e in _events(ContactPhone, contact_id=existing.pk)] == ["insert"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('pgtrigger.ignore', true)")
        assert cursor.fetchone()[0] == "{}"
