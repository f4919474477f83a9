"""Import services: create and update by e-mail or domain, both modes, duplicates in the
file, companies by name, custom fields, undo."""

import pytest

from tenant_apps.companies.models import Company
from tenant_apps.contacts.models import Contact
from tenant_apps.contacts.services import contact_create, contact_update
from tenant_apps.imports.errors import ImportAlreadyUndone, ImportMappingError, ImportPermissionError, ImportStateError
from tenant_apps.imports.models import ImportJob
from tenant_apps.imports.services import import_job_create, import_job_map, import_job_undo
from tenant_apps.records.settings_services import custom_field_create
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = ["First name", "Last name", "E-mail", "Phone", "Company"]


def job_for(upload, actor, rows, entity="contact", header=HEADER):
    return import_job_create(actor=actor, upload=upload(csv_bytes([header, *rows])), entity=entity)


def test_guesses_mapping_from_english_and_bulgarian_headers(in_acme, owner, upload):
    # given
    custom_field_create(actor=owner, entity="contact", label="Tier", key="tier", field_type="text")
    header = ["Име", "Фамилия", "Имейл", "Телефон", "Фирма", "Tier", "E-mail 2", "Something else"]
    # when
    job = job_for(upload, owner, [["Иван", "Петров", "ivan@example.com", "", "", "", "", ""]], header=header)
    # then
    assert job.mapping == {"0": "first_name", "1": "last_name", "2": "emails", "3": "phones", "4": "company",
                           "5": "custom.tier", "6": "emails"}


def test_creates_contacts_with_emails_phones_and_companies(in_acme, owner, upload, run_import):
    # given
    Company.objects.create(name="Acme Widgets", owner=owner)
    rows = [["Ivan", "Petrov", "Ivan@Example.com; ivan2@example.com", "0888 123 456", "acme widgets"],
            ["Maria", "Ivanova", "maria@example.com", "", "New Co"]]
    # when
    job = run_import(job_for(upload, owner, rows), owner)
    # then
    assert (job.status, job.created_count, job.updated_count, job.failed_count) == ("done", 2, 0, 0)
    ivan = Contact.objects.get(email="ivan@example.com")
    assert [e.email for e in ivan.emails.all()] == ["ivan@example.com", "ivan2@example.com"]
    assert ivan.phone == "+359888123456" and ivan.phones.get().is_primary
    assert ivan.company.name == "Acme Widgets" and ivan.import_job_id == job.pk
    assert Contact.objects.get(email="maria@example.com").company.import_job_id == job.pk
    assert ivan.owner == owner and ivan.created_by == owner


def test_updates_by_email_and_keeps_what_the_row_leaves_empty(in_acme, owner, upload, run_import):
    # given
    existing = contact_create(actor=owner, data={"first_name": "Ivan", "last_name": "Old", "emails": ["ivan@example.com"],
                                                 "job_title": "CEO"})
    # when
    job = run_import(job_for(upload, owner, [["", "New", "IVAN@example.com", "0888 123 456", ""]]), owner)
    # then
    existing.refresh_from_db()
    assert (job.created_count, job.updated_count) == (0, 1)
    assert (existing.first_name, existing.last_name, existing.job_title) == ("Ivan", "New", "CEO")
    assert existing.phone == "+359888123456"
    assert existing.import_job_id is None


def test_all_or_nothing_writes_nothing_when_a_row_is_bad(in_acme, owner, upload, run_import):
    rows = [["Ivan", "", "ivan@example.com", "", ""], ["", "", "not-an-email", "", ""]]
    job = run_import(job_for(upload, owner, rows), owner, mode="all")
    assert job.status == "failed" and job.failed_count == 1 and "nothing was imported" in job.message
    assert not Contact.objects.exists()
    assert job.error_report_path


def test_skip_mode_writes_the_good_rows(in_acme, owner, upload, run_import):
    rows = [["Ivan", "", "ivan@example.com", "", ""], ["", "", "not-an-email", "", ""]]
    job = run_import(job_for(upload, owner, rows), owner, mode="skip")
    assert (job.status, job.created_count, job.failed_count) == ("done", 1, 1)
    assert list(Contact.objects.values_list("email", flat=True)) == ["ivan@example.com"]


def test_duplicates_inside_the_file_are_reported(in_acme, owner, upload, run_import):
    rows = [["Ivan", "", "ivan@example.com", "", ""], ["Ivan 2", "", "IVAN@example.com", "", ""]]
    job = run_import(job_for(upload, owner, rows), owner, mode="skip")
    assert (job.created_count, job.failed_count) == (1, 1)
    from django.core.files.storage import default_storage

    report = default_storage.open(job.error_report_path).read().decode("utf-8-sig")
    assert "already on row 2" in report and report.splitlines()[1].startswith("3,")


def test_custom_fields_are_validated_by_type(in_acme, owner, upload, run_import):
    custom_field_create(actor=owner, entity="contact", label="Seats", key="seats", field_type="number")
    rows = [["Ivan", "", "ivan@example.com", "12"], ["Maria", "", "maria@example.com", "many"]]
    job = run_import(job_for(upload, owner, rows, header=["First name", "Last name", "E-mail", "Seats"]), owner, mode="skip")
    assert (job.created_count, job.failed_count) == (1, 1)
    assert Contact.objects.get().custom == {"seats": 12}


def test_companies_created_or_updated_by_domain_then_name(in_acme, owner, upload, run_import):
    # given
    by_domain = Company.objects.create(name="Old name", domain="acme.example", owner=owner)
    by_name = Company.objects.create(name="Globex", owner=owner)
    rows = [["Acme", "https://www.acme.example", "Sofia"], ["globex", "", "Plovdiv"], ["Initech", "initech.example", ""]]
    # when
    job = run_import(job_for(upload, owner, rows, entity="company", header=["Name", "Website", "City"]), owner)
    # then
    assert (job.created_count, job.updated_count) == (1, 2)
    by_domain.refresh_from_db(), by_name.refresh_from_db()
    assert (by_domain.name, by_domain.city, by_name.city) == ("Acme", "Sofia", "Plovdiv")
    assert Company.objects.get(domain="initech.example").website == "https://initech.example"


def test_missing_required_column_is_refused(in_acme, owner, upload):
    job = job_for(upload, owner, [["Sofia"]], header=["City"])
    with pytest.raises(ImportMappingError, match="required column is missing"):
        import_job_map(job=job, actor=owner, mapping=job.mapping)


def test_sales_rep_cannot_import(in_acme, sales_rep, upload):
    with pytest.raises(ImportPermissionError):
        job_for(upload, sales_rep, [["Ivan", "", "", "", ""]])


class TestUndo:
    def test_deletes_what_it_created_and_restores_what_it_updated(self, in_acme, owner, upload, run_import):
        # given
        existing = contact_create(actor=owner, data={"first_name": "Ivan", "last_name": "Old",
                                                     "emails": ["ivan@example.com"], "phones": ["0888 000 000"]})
        rows = [["", "New", "ivan@example.com", "0888 111 111", "New Co"], ["Maria", "", "maria@example.com", "", ""]]
        job = run_import(job_for(upload, owner, rows), owner)
        assert existing.phones.count() == 2
        # when
        job = import_job_undo(job=job, actor=owner)
        # then
        existing.refresh_from_db()
        assert job.status == "undone" and job.undone_by == owner and job.undo_skipped == []
        assert existing.last_name == "Old" and existing.phone == "+359888000000"
        assert list(existing.phones.values_list("number", flat=True)) == ["+359888000000"]
        assert list(Contact.objects.values_list("pk", flat=True)) == [existing.pk]
        assert not Company.objects.filter(name="New Co").exists()

    def test_twice_is_refused(self, in_acme, owner, upload, run_import):
        job = run_import(job_for(upload, owner, [["Ivan", "", "ivan@example.com", "", ""]]), owner)
        import_job_undo(job=job, actor=owner)
        with pytest.raises(ImportAlreadyUndone):
            import_job_undo(job=job, actor=owner)

    def test_a_job_that_never_wrote_is_refused_not_a_500(self, in_acme, owner, upload):
        job = job_for(upload, owner, [["Ivan", "", "ivan@example.com", "", ""]])
        ImportJob.objects.filter(pk=job.pk).update(status="done", written_at=None)
        job.refresh_from_db()
        with pytest.raises(ImportStateError):
            import_job_undo(job=job, actor=owner)

    def test_records_changed_since_are_left_and_reported(self, in_acme, owner, upload, run_import):
        job = run_import(job_for(upload, owner, [["Ivan", "", "ivan@example.com", "", ""],
                                                  ["Maria", "", "maria@example.com", "", ""]]), owner)
        maria = Contact.objects.get(first_name="Maria")
        contact_update(contact=maria, actor=owner, data={"job_title": "CTO"})
        job = import_job_undo(job=job, actor=owner)
        assert job.undo_skipped == [maria.pk]
        assert list(Contact.objects.values_list("first_name", flat=True)) == ["Maria"]
        assert ImportJob.objects.get(pk=job.pk).status == "undone"


def test_a_run_takes_the_same_queries_for_50_or_1000_rows(in_acme, owner, upload, run_import):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(n, prefix):
        # creates, an update and companies by name, so that every write path is taken
        contact_create(actor=owner, data={"first_name": "Old", "emails": [f"{prefix}1@example.com"]})
        rows = [[f"P{i}", "", f"{prefix}{i}@example.com", "0888 123 456", f"{prefix} Company {i % 7}"] for i in range(n)]
        job = job_for(upload, owner, rows)
        with CaptureQueriesContext(connection) as queries:
            job = run_import(job, owner)
        assert (job.created_count, job.updated_count) == (n - 1, 1)
        assert Company.objects.filter(import_job_id=job.pk).count() == 7
        return len(queries)

    small = count(50, "small")
    assert count(1000, "large") <= small  # (the second run finds some settings cached)


def test_history_records_every_insert_update_and_undo_with_the_door(in_acme, owner, upload, run_import):
    from tenant_apps.records.history_selectors import record_history

    # given
    existing = contact_create(actor=owner, data={"first_name": "Ivan", "emails": ["ivan@example.com"]})
    job = run_import(job_for(upload, owner, [["", "New", "ivan@example.com", "", ""],
                                              ["Maria", "", "maria@example.com", "", ""]]), owner)
    maria = Contact.objects.get(first_name="Maria")
    # then: the contact and its e-mail address each have an insert entry, through the import door
    entries = record_history(record=maria)
    assert len(entries) == 2 and {(e["label"], e["door"], e["user_id"]) for e in entries} == {("insert", "import", owner.pk)}
    # (one test transaction: every event has the same time, so look for the door, not the order)
    assert "import" in {e["door"] for e in record_history(record=existing)}
    # when
    import_job_undo(job=job, actor=owner)
    # then
    assert "import_undo" in {e["door"] for e in record_history(record=existing)}


def test_messages_and_report_are_in_the_uploaders_language(in_acme, owner, upload, run_import):
    from django.core.files.storage import default_storage
    from django.utils import translation

    # given: the file is uploaded by someone reading Bulgarian
    with translation.override("bg"):
        job = job_for(upload, owner, [["Иван", "", "ivan@", "", ""]])
    # when: the task runs (in whatever language the worker has)
    job = run_import(job, owner, mode="all")
    # then
    assert job.message == "1 ред не е валиден, затова нищо не е импортирано. Отчетът за грешките го посочва."
    report = default_storage.open(job.error_report_path).read().decode("utf-8-sig")
    assert report.splitlines()[0].startswith("Ред,") and "„ivan@“ не е имейл адрес." in report


def test_owner_and_tags_columns_and_their_undo(in_acme, owner, sales_rep, upload, run_import):
    # given: an existing contact with a tag, and a file that adds phones and tags only
    existing = contact_create(actor=owner, data={"first_name": "Ivan", "emails": ["ivan@example.com"], "tags": ["Old"]})
    header = ["First name", "E-mail", "Phone", "Owner", "Tags"]
    rows = [["", "ivan@example.com", "0888 111 111", "", "VIP; old"],
            ["Maria", "maria@example.com", "", "SALES@acme.test", "vip, Partner"],
            ["Petar", "petar@example.com", "", "nobody@example.com", ""]]
    # when
    job = run_import(job_for(upload, owner, rows, header=header), owner, mode="skip")
    # then
    assert (job.created_count, job.updated_count, job.failed_count) == (1, 1, 1)
    maria = Contact.objects.get(first_name="Maria")
    assert maria.owner == sales_rep and sorted(t.name for t in maria.tags.all()) == ["Partner", "VIP"]
    assert sorted(t.name for t in existing.tags.all()) == ["Old", "VIP"] and existing.phones.count() == 1
    # when
    import_job_undo(job=job, actor=owner)
    # then: the phone and tag it added are gone again
    assert [t.name for t in existing.tags.all()] == ["Old"] and existing.phones.count() == 0


class TestDeals:
    def test_created_in_the_named_stage_with_company_contacts_and_amount(self, in_acme, owner, upload, run_import):
        from tenant_apps.deals.models import Deal, Pipeline

        # given
        pipeline = Pipeline.objects.get(is_default=True)
        stage = pipeline.stages.filter(kind="open").order_by("position")[1]
        maria = contact_create(actor=owner, data={"first_name": "Maria", "emails": ["maria@example.com"]})
        header = ["Заглавие", "Сума", "Етап", "Фирма", "Контакт", "Expected close date"]
        rows = [["Big deal", "1 234,50", stage.name, "New Co", "MARIA@example.com", "2027-01-31"],
                ["Second", "", "", "", "", ""],
                ["", "-5", "No such stage", "", "nobody@example.com", "31.01."]]
        job = job_for(upload, owner, rows, entity="deal", header=header)
        assert job.mapping == {"0": "title", "1": "amount", "2": "stage", "3": "company", "4": "contacts",
                               "5": "expected_close_date"}
        # when
        job = run_import(job, owner, mode="skip")
        # then
        assert (job.created_count, job.failed_count) == (2, 1)
        big = Deal.objects.get(title="Big deal")
        assert (str(big.amount), big.stage, big.status, big.company.name) == ("1234.50", stage, "open", "New Co")
        assert list(big.contacts.all()) == [maria] and big.stage_changes.get().to_stage == stage
        second = Deal.objects.get(title="Second")
        assert second.stage == pipeline.stages.filter(kind="open").order_by("position").first()
        assert second.currency and second.import_job_id == job.pk
        # when
        import_job_undo(job=job, actor=owner)
        # then
        assert not Deal.objects.exists() and not Company.objects.filter(name="New Co").exists()

    def test_a_missing_contact_is_reported(self, in_acme, owner, upload, run_import):
        job = run_import(job_for(upload, owner, [["Deal", "ghost@example.com"]], entity="deal",
                                 header=["Title", "Contact"]), owner)
        assert job.status == "failed" and job.failed_count == 1
        from django.core.files.storage import default_storage

        assert "No contact has the e-mail address “ghost@example.com”." in default_storage.open(
            job.error_report_path).read().decode("utf-8-sig")


class TestRetrySkipping:
    """After an all-or-nothing import was refused for some bad rows, the same file runs
    again skipping them, without uploading it anew."""

    def test_imports_the_valid_rows_of_a_refused_file(self, in_acme, owner, upload, run_import,
                                                       django_capture_on_commit_callbacks):
        from django.core.files.storage import default_storage
        from django.db import connection

        from tenant_apps.imports.services import import_job_retry_skipping

        # given: an all-or-nothing import refused for one bad row of three
        refused = run_import(job_for(upload, owner, [["Ivan", "", "ivan@example.com", "", ""],
                                                     ["Bad", "", "not-an-address", "", ""],
                                                     ["Maria", "", "maria@example.com", "", ""]]), owner)
        assert refused.status == "failed" and refused.failed_count == 1 and refused.can_retry_skipping
        assert not Contact.objects.exists()
        assert default_storage.exists(refused.file_path)
        path = refused.file_path
        # when
        tenant = connection.tenant
        with django_capture_on_commit_callbacks(execute=True):
            retry = import_job_retry_skipping(job=refused, actor=owner)
        connection.set_tenant(tenant)
        # then: the good rows are in, the file is gone, the refused job keeps its report
        retry.refresh_from_db()
        refused.refresh_from_db()
        assert (retry.status, retry.mode, retry.created_count, retry.failed_count) == ("done", "skip", 2, 1)
        assert sorted(Contact.objects.values_list("first_name", flat=True)) == ["Ivan", "Maria"]
        assert not default_storage.exists(path)
        assert refused.file_path == "" and not refused.can_retry_skipping
        assert default_storage.exists(refused.error_report_path)
        assert retry.error_report_path != refused.error_report_path
        with pytest.raises(ImportStateError):
            import_job_retry_skipping(job=refused, actor=owner)

    def test_a_done_import_or_a_sales_rep_cannot_retry(self, in_acme, owner, sales_rep, upload, run_import):
        from tenant_apps.imports.services import import_job_retry_skipping

        done = run_import(job_for(upload, owner, [["Ivan", "", "ivan@example.com", "", ""]]), owner)
        assert not done.can_retry_skipping
        with pytest.raises(ImportStateError):
            import_job_retry_skipping(job=done, actor=owner)
        refused = run_import(job_for(upload, owner, [["Ivan", "", "ivan@example.com", "", ""],
                                                     ["Bad", "", "nope", "", ""]]), owner)
        with pytest.raises(ImportPermissionError):
            import_job_retry_skipping(job=refused, actor=sales_rep)
