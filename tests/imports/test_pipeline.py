"""Contacts are validated and written in one pass (imports/pipeline.py): the outcome must
be the one of validating every row first."""

import pytest

from tenant_apps.companies.models import Company
from tenant_apps.contacts.models import Contact
from tenant_apps.contacts.services import contact_create
from tenant_apps.imports import pipeline
from tenant_apps.imports.services import import_job_create
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = ["First name", "Last name", "E-mail", "Phone", "Company"]


def _job(upload, owner, rows):
    return import_job_create(actor=owner, upload=upload(csv_bytes([HEADER, *rows])), entity="contact")


def test_all_or_nothing_writes_nothing_when_a_late_row_is_bad(in_acme, owner, upload, run_import, monkeypatch):
    # given: good rows (already sent to the database) before the bad one, with a new company and an update
    monkeypatch.setattr(pipeline, "PROGRESS_EVERY", 1)
    existing = contact_create(actor=owner, data={"first_name": "Old", "emails": ["old@example.com"]})
    rows = [[f"P{i}", "", f"p{i}@example.com", "0888 123 456", "New Co"] for i in range(5)]
    rows += [["Changed", "", "old@example.com", "", ""], ["", "", "not-an-email", "", ""], ["Late", "", "late@example.com", "", ""]]
    # when
    job = run_import(_job(upload, owner, rows), owner, mode="all")
    # then
    assert (job.status, job.failed_count, job.processed_rows) == ("failed", 1, 8)
    assert list(Contact.objects.values_list("pk", flat=True)) == [existing.pk]
    existing.refresh_from_db()
    assert existing.first_name == "Old" and not Company.objects.exists()


def test_skip_mode_creates_only_the_companies_of_good_rows_in_their_first_good_spelling(in_acme, owner, upload,
                                                                                      run_import):
    # given
    Company.objects.create(name="Known Ltd", owner=owner)
    rows = [["", "", "bad-email", "", "only BAD co"], ["", "", "bad2", "", "new co"], ["Ivan", "", "ivan@example.com", "", "New Co"],
            ["Maria", "", "maria@example.com", "", "NEW CO"], ["Petar", "", "petar@example.com", "", "known ltd"]]
    # when
    job = run_import(_job(upload, owner, rows), owner, mode="skip")
    # then
    assert (job.status, job.created_count, job.failed_count) == ("done", 3, 2)
    assert sorted(Company.objects.values_list("name", flat=True)) == ["Known Ltd", "New Co"]
    new_co = Company.objects.get(name="New Co")
    assert new_co.import_job_id == job.pk
    assert set(Contact.objects.filter(company=new_co).values_list("email", flat=True)) == {"ivan@example.com",
                                                                                         "maria@example.com"}
    assert Contact.objects.get(email="petar@example.com").company.name == "Known Ltd"


def test_updates_and_creates_in_one_file_with_duplicates(in_acme, owner, upload, run_import):
    # given
    existing = contact_create(actor=owner, data={"first_name": "Old", "emails": ["old@example.com"]})
    rows = [["New", "", "new@example.com; other@example.com", "", ""], ["", "Surname", "OLD@example.com", "0888 123 456", ""],
            ["Again", "", "new@example.com", "", ""]]
    # when
    job = run_import(_job(upload, owner, rows), owner, mode="skip")
    # then
    assert (job.created_count, job.updated_count, job.failed_count) == (1, 1, 1)
    existing.refresh_from_db()
    assert (existing.first_name, existing.last_name, existing.phone) == ("Old", "Surname", "+359888123456")
    new = Contact.objects.get(email="new@example.com")
    assert sorted(new.emails.values_list("email", flat=True)) == ["new@example.com", "other@example.com"]
