"""Bulk export of documents as a zip of PDFs: the task end to end, progress, filters,
visibility, download and expiry."""

import io
import zipfile
from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from tenant_apps.templates.errors import ExportError
from tenant_apps.templates.exports import document_export_start, document_exports_expire
from tenant_apps.templates.models import DocumentExport


def _url(name, *args):
    return reverse(name, urlconf="config.urls_app", args=args)


@pytest.fixture
def invoices(owner, company, vat):
    from tenant_apps.sales.services.documents import document_create, invoice_issue

    made = []
    for index in range(3):
        document = document_create(actor=owner, kind="invoice", data={"company": company, "currency": "EUR"},
                                   lines=[{"description": f"Work {index}", "quantity": "1", "unit_price": "100",
                                           "tax_rates": [vat.pk]}])
        made.append(invoice_issue(document=document, actor=owner, on=date(2026, 1, 10 + index)))
    return made


def test_an_export_zips_the_pdfs_of_the_filtered_documents(client_for, owner, invoices, draft_invoice,
                                                          django_capture_on_commit_callbacks):
    # given
    client = client_for(owner)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("sales_export_start"), {"kind": "invoice", "status": "issued",
                                                            "date_from": "2026-01-11", "date_to": "2026-01-31"})
    # then
    export = DocumentExport.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("sales_export_detail", export.pk)
    assert export.status == "done" and export.total == 2 and export.percent == 100
    status = client.get(_url("sales_export_status", export.pk)).json()
    assert status["finished"] and status["download_url"] == _url("sales_export_download", export.pk)
    download = client.get(_url("sales_export_download", export.pk))
    assert download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"{i.number}.pdf" for i in invoices[1:])
        assert all(archive.read(name).startswith(b"%PDF") for name in names)
    page = client.get(_url("sales_export_detail", export.pk)).content.decode()
    assert _url("sales_export_download", export.pk) in page


def test_the_export_page_prefills_the_lists_filters(client_for, owner, invoices, company):
    page = client_for(owner).get(_url("sales_export_start") + f"?kind=invoice&company={company.pk}").content.decode()
    assert 'value="invoice" selected' in page
    assert "Initech" in page


def test_bad_filters_get_a_clear_error(client_for, owner, invoices):
    response = client_for(owner).post(_url("sales_export_start"), {"date_from": "31/01/2026"})
    assert response.status_code == 400
    assert "The filter is not valid" in response.content.decode()
    assert not DocumentExport.objects.exists()


def test_nothing_to_export_is_said_so(client_for, owner, in_acme):
    response = client_for(owner).post(_url("sales_export_start"), {"kind": "credit_note"})
    assert response.status_code == 400
    assert "No documents match" in response.content.decode()


def test_a_restricted_rep_exports_only_their_own(restricted, sales_rep, owner, invoices):
    from tenant_apps.companies.services import company_create
    from tenant_apps.sales.services.documents import document_create

    mine = company_create(actor=sales_rep, data={"name": "Rep Customer"})
    own = document_create(actor=sales_rep, kind="invoice", data={"company": mine, "currency": "EUR"},
                          lines=[{"description": "Mine", "quantity": "1", "unit_price": "5"}])
    export = document_export_start(actor=sales_rep, params={"kind": "invoice"})
    assert export.document_ids == [own.pk]


def test_one_export_at_a_time_per_member(owner, invoices):
    document_export_start(actor=owner, params={})
    with pytest.raises(ExportError) as caught:
        document_export_start(actor=owner, params={})
    assert caught.value.code == "busy"


def test_the_task_is_idempotent(owner, invoices):
    from tenant_apps.templates.exports import document_export_run

    export = document_export_start(actor=owner, params={})
    document_export_run(export_id=export.pk)
    export.refresh_from_db()
    path = export.file_path
    document_export_run(export_id=export.pk)  # a redelivered message
    export.refresh_from_db()
    assert export.file_path == path and export.status == "done"


def test_someone_elses_export_is_404(client_for, owner, admin, invoices):
    export = document_export_start(actor=owner, params={})
    client = client_for(admin)
    for name in ("sales_export_detail", "sales_export_status", "sales_export_download"):
        assert client.get(_url(name, export.pk)).status_code == 404


def test_an_expired_export_and_its_file_are_deleted(owner, invoices):
    from tenant_apps.templates.exports import document_export_run
    from tenants.models import ScheduledJob

    export = document_export_start(actor=owner, params={})
    assert ScheduledJob.objects.filter(kind="document_export_expire", object_id=export.pk).exists()
    document_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert default_storage.exists(export.file_path)
    document_exports_expire(export_ids=[export.pk])  # not yet due: kept
    assert DocumentExport.objects.filter(pk=export.pk).exists()
    DocumentExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    document_exports_expire(export_ids=[export.pk])
    assert not DocumentExport.objects.filter(pk=export.pk).exists()
    assert not default_storage.exists(export.file_path)
    assert not ScheduledJob.objects.filter(kind="document_export_expire", object_id=export.pk).exists()


def test_a_broken_template_fails_the_export_with_its_message(owner, invoices):
    from tenant_apps.templates.exports import document_export_run
    from tenant_apps.templates.models import Template, TemplateVersion

    template = Template.objects.create(kind="document", name="classic")
    TemplateVersion.objects.create(template=template, number=1, html="{{ document.nope }}")
    export = document_export_start(actor=owner, params={})
    document_export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == "failed" and "Line 1:" in export.message


def test_the_pdf_cache_sweep_deletes_old_files_only(owner, invoices):
    from django.db import connection

    from tenant_apps.sales.pdf import document_pdf, pdf_cache_sweep

    document_pdf(invoices[0])
    folder = f"tenants/{connection.schema_name}/pdf"
    assert len(default_storage.listdir(folder)[1]) == 1
    assert pdf_cache_sweep() == 0
    assert pdf_cache_sweep(now=timezone.now() + timedelta(days=31)) == 1
    assert default_storage.listdir(folder)[1] == []


def test_a_large_export_is_rendered_in_chunks_then_zipped(client_for, owner, invoices, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    from tenant_apps.templates import exports

    monkeypatch.setattr(exports, "CHUNK", 2)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(owner).post(_url("sales_export_start"), {"kind": "invoice"})
    export = DocumentExport.objects.get()
    assert (export.status, export.chunks_done, export.processed) == ("done", [0, 1], 3)
    with default_storage.open(export.file_path, "rb") as handle, zipfile.ZipFile(handle) as archive:
        assert sorted(archive.namelist()) == sorted(f"{i.number}.pdf" for i in invoices)


def test_a_chunk_is_counted_once(owner, invoices, monkeypatch):
    from tenant_apps.templates import exports

    monkeypatch.setattr(exports, "CHUNK", 2)
    export = document_export_start(actor=owner, params={})
    exports.document_export_run(export_id=export.pk)
    exports.document_export_chunk(export_id=export.pk, index=0)
    exports.document_export_chunk(export_id=export.pk, index=0)  # a redelivered message
    export.refresh_from_db()
    assert (export.status, export.chunks_done, export.processed) == ("running", [0], 2)


def test_a_chunk_that_crashes_fails_the_export_clearly(owner, invoices, monkeypatch):
    from tenant_apps.sales import pdf
    from tenant_apps.templates import exports

    # given a large export whose PDF rendering crashes with something other than a template error
    monkeypatch.setattr(exports, "CHUNK", 2)
    export = document_export_start(actor=owner, params={})
    exports.document_export_run(export_id=export.pk)

    def crash(document):
        raise OSError("disk full")

    monkeypatch.setattr(pdf, "document_pdf", crash)
    # when a chunk runs
    exports.document_export_chunk(export_id=export.pk, index=0)
    # then the export is failed with a message, so the progress page stops polling
    export.refresh_from_db()
    assert export.status == "failed" and export.finished and "could not be built" in export.message


def test_an_export_gone_quiet_is_failed_by_the_watch(owner, invoices):
    from tenants.models import ScheduledJob
    from tenant_apps.templates.exports import STALE_AFTER, WATCH_JOB, document_exports_watch

    # given a running export whose worker was lost, with its watch booked
    export = document_export_start(actor=owner, params={})
    DocumentExport.objects.filter(pk=export.pk).update(status="running")
    assert ScheduledJob.objects.filter(kind=WATCH_JOB, object_id=export.pk).exists()
    # when the watch looks before STALE_AFTER, it looks again later
    document_exports_watch(export_ids=[export.pk])
    export.refresh_from_db()
    assert export.status == "running"
    assert ScheduledJob.objects.filter(kind=WATCH_JOB, object_id=export.pk).exists()
    # when it looks after STALE_AFTER without a sign of life
    document_exports_watch(export_ids=[export.pk], now=timezone.now() + STALE_AFTER + timedelta(minutes=1))
    # then the export is failed with a clear message and the watch is done
    export.refresh_from_db()
    assert export.status == "failed" and "progress" in export.message
    assert not ScheduledJob.objects.filter(kind=WATCH_JOB, object_id=export.pk).exists()
