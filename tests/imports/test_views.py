"""Import pages and API: upload, mapping with preview, start, progress JSON, error
report, undo; permissions and another workspace's ids."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from tenant_apps.contacts.models import Contact
from tenant_apps.imports.models import ImportJob
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

ROWS = [["Name", "E-mail", "City"], ["Ivan Petrov", "ivan@example.com", "Sofia"], ["Bad", "nope", "Varna"]]


def _upload(client, content, name="people.csv", entity="contact"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("import_new"), {"entity": entity, "file": SimpleUploadedFile(name, content)})


def test_upload_map_preview_start_and_result(client_for, owner, django_capture_on_commit_callbacks, in_acme):
    client = client_for(owner)
    # given: an upload
    response = _upload(client, csv_bytes(ROWS))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("import_mapping", args=[job.pk])
    # when: the mapping page shows the guesses and a preview with per-row results
    page = client.get(reverse("import_mapping", args=[job.pk])).content.decode()
    assert "Read as UTF-8 text" in page and "ivan@example.com" in page and "is not an e-mail address" in page
    # and the import starts in skip mode
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("import_mapping", args=[job.pk]),
                               {"col_0": "full_name", "col_1": "emails", "col_2": "city", "mode": "skip", "start": "1"})
    connection.set_tenant(in_acme)
    # then
    assert response["Location"] == reverse("import_detail", args=[job.pk])
    status = client.get(reverse("import_status", args=[job.pk])).json()
    assert status | {"status_label": ""} == status | {
        "status": "done", "percent": 100, "created": 1, "failed": 1, "finished": True, "has_error_report": True,
        "status_label": ""}
    ivan = Contact.objects.get()
    assert (ivan.first_name, ivan.last_name, ivan.city) == ("Ivan", "Petrov", "Sofia")
    detail = client.get(reverse("import_detail", args=[job.pk])).content.decode()
    assert "Undo this import" in detail and 'value="100"' in detail
    report = client.get(reverse("import_errors", args=[job.pk]))
    assert b"nope" in b"".join(report.streaming_content)
    assert client.post(reverse("import_undo", args=[job.pk])).status_code == 302
    assert not Contact.objects.exists()
    assert "already been undone" in client.post(reverse("import_undo", args=[job.pk]), follow=True).content.decode()


def test_status_goes_from_queued_through_checking_to_done(client_for, owner, in_acme, django_capture_on_commit_callbacks):
    from tenant_apps.imports.services import import_job_create, import_job_run, import_job_start

    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(owner)
    job = import_job_create(actor=owner, upload=SimpleUploadedFile("p.csv", csv_bytes(ROWS[:2])), entity="contact")
    seen = [client.get(reverse("import_status", args=[job.pk])).json()["status"]]
    import_job_start(job=job, actor=owner)  # queued; its task waits for the commit
    seen.append(client.get(reverse("import_status", args=[job.pk])).json()["status"])
    import_job_run(job_id=job.pk)
    seen.append(client.get(reverse("import_status", args=[job.pk])).json()["status"])
    assert seen == ["uploaded", "queued", "done"]


def test_missing_required_column_message(client_for, owner):
    client = client_for(owner)
    _upload(client, csv_bytes([["City"], ["Sofia"]]))
    job = ImportJob.objects.get()
    page = client.post(reverse("import_mapping", args=[job.pk]), {"col_0": "city", "mode": "all", "start": "1"})
    assert page.status_code == 200 and "A required column is missing" in page.content.decode()
    assert ImportJob.objects.get().status == "uploaded"


def test_bad_file_message_in_bulgarian(client_for, owner):
    client = client_for(owner)
    client.cookies["tessera_language"] = "bg"
    owner.language = "bg"
    owner.save(update_fields=["language"])
    page = _upload(client, b"", name="empty.csv")
    assert page.status_code == 200
    assert "Файлът е празен." in page.content.decode()
    assert not ImportJob.objects.exists()


def test_list_page_shows_the_import_button_to_managers_only(client_for, owner, sales_rep):
    assert reverse("import_new") in client_for(owner).get(reverse("contact_list")).content.decode()
    assert reverse("import_new") not in client_for(sales_rep).get(reverse("contact_list")).content.decode()


def test_sales_rep_gets_403(client_for, sales_rep):
    client = client_for(sales_rep)
    assert client.get(reverse("import_list")).status_code == 403
    assert _upload(client, csv_bytes(ROWS)).status_code == 403


class TestApi:
    def test_create_status_errors_and_undo(self, client_for, owner, in_acme, django_capture_on_commit_callbacks):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client = client_for(owner)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/api/v1/imports/", {
                "file": SimpleUploadedFile("p.csv", csv_bytes(ROWS)), "entity": "contact", "mode": "skip",
                "mapping": json.dumps({"0": "full_name", "1": "emails"}),
            })
        connection.set_tenant(in_acme)
        assert response.status_code == 201, response.content
        job_id = response.json()["id"]
        status = client.get(f"/api/v1/imports/{job_id}/").json()
        assert (status["status"], status["created"], status["failed"]) == ("done", 1, 1)
        report = client.get(f"/api/v1/imports/{job_id}/errors/")
        assert report.status_code == 200 and b"nope" in b"".join(report.streaming_content)
        assert client.post(f"/api/v1/imports/{job_id}/undo/").json()["status"] == "undone"
        again = client.post(f"/api/v1/imports/{job_id}/undo/")
        assert again.status_code == 400 and again.json()["error"]["code"] == "already_undone"

    def test_bad_input_gets_a_stable_code(self, client_for, owner):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client = client_for(owner)
        empty = client.post("/api/v1/imports/", {"file": SimpleUploadedFile("p.csv", b""), "entity": "contact"})
        assert empty.status_code == 400 and empty.json()["error"]["code"] == "file_empty"
        mapping = client.post("/api/v1/imports/", {"file": SimpleUploadedFile("p.csv", csv_bytes(ROWS)),
                                                   "entity": "contact", "mapping": json.dumps({"2": "city"})})
        assert mapping.status_code == 400 and mapping.json()["error"]["code"] == "mapping_invalid"
        assert "required column is missing" in mapping.json()["error"]["message"]
        assert not ImportJob.objects.exists()
        missing = client.post("/api/v1/imports/", {"entity": "contact"})
        assert missing.status_code == 400 and missing.json()["error"]["code"] == "file_missing"

    def test_another_workspaces_job_is_404(self, client_for, owner, tenant_b):
        connection.set_tenant(tenant_b)
        theirs = ImportJob.objects.create(entity="contact", file_name="x.csv", file_path="globex/x.csv",
                                          file_format="csv", status="done")
        client = client_for(owner)
        assert client.get(f"/api/v1/imports/{theirs.pk}/").status_code == 404
        assert client.get(reverse("import_detail", args=[theirs.pk])).status_code == 404

    def test_sales_rep_gets_403(self, client_for, sales_rep):
        assert client_for(sales_rep).get("/api/v1/imports/").status_code == 403


def test_import_list_queries_do_not_grow_with_jobs(client_for, owner, in_acme, django_assert_max_num_queries):
    client = client_for(owner)
    for i in range(12):
        ImportJob.objects.create(entity="contact", file_name=f"f{i}.csv", file_path="x", file_format="csv",
                                 status="done", created_by=owner, undone_by=owner)
    with django_assert_max_num_queries(25):  # the app shell's queries, then one for the list
        page = client.get(reverse("import_list"))
    assert page.content.decode().count("f11.csv") == 1


def test_a_refused_import_offers_to_import_the_valid_rows(client_for, owner, in_acme, django_capture_on_commit_callbacks):
    client = client_for(owner)
    # given: an all-or-nothing import refused for its bad row
    _upload(client, csv_bytes(ROWS))
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import_mapping", args=[job.pk]),
                    {"col_0": "full_name", "col_1": "emails", "col_2": "city", "mode": "all", "start": "1"})
    connection.set_tenant(in_acme)
    detail = client.get(reverse("import_detail", args=[job.pk])).content.decode()
    assert "nothing was imported" in detail and "Import the valid rows" in detail
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("import_retry", args=[job.pk]))
    connection.set_tenant(in_acme)
    # then: a new import ran in skip mode and its page is shown
    retry = ImportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("import_detail", args=[retry.pk])
    assert (retry.status, retry.mode, retry.created_count) == ("done", "skip", 1)
    assert "Import the valid rows" not in client.get(reverse("import_detail", args=[job.pk])).content.decode()
    again = client.post(reverse("import_retry", args=[job.pk]), follow=True).content.decode()
    assert "upload the file once more" in again
