"""Malformed and hostile files: each is refused with a clear message and nothing is
stored, or read correctly when it is only in another encoding."""

import io
import zipfile

import pytest
from django.core.files import File
from django.core.files.storage import default_storage

from tenant_apps.contacts.models import Contact
from tenant_apps.imports.errors import (ImportFileBroken, ImportFileEmpty, ImportFileEncoding, ImportFileTooLarge, ImportFileUnsafe,
                                        ImportFileUnsupported)
from tenant_apps.imports.files import MAX_FILE_BYTES
from tenant_apps.imports.models import ImportJob
from tenant_apps.records.exports import spreadsheet_safe
from tenant_apps.imports.services import import_job_create
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db

BG_ROWS = [["Име", "Фамилия", "Имейл", "Град"], ["Иван", "Петров", "ivan@example.com", "София"]]


def _create(upload, owner, content, name="people.csv"):
    return import_job_create(actor=owner, upload=upload(content, name), entity="contact")


@pytest.mark.parametrize("encoding, label", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"),
    ("cp1251", "cp1251"),
])
def test_bulgarian_csv_in_each_encoding_is_read(in_acme, owner, upload, run_import, encoding, label):
    job = _create(upload, owner, csv_bytes(BG_ROWS, encoding=encoding))
    assert job.encoding == label and job.headers == BG_ROWS[0]
    job = run_import(job, owner)
    assert job.status == "done"
    assert Contact.objects.get().city == "София"


def test_semicolon_csv_from_excel(in_acme, owner, upload):
    job = _create(upload, owner, csv_bytes(BG_ROWS, encoding="cp1251", delimiter=";"))
    assert job.delimiter == ";" and job.headers == BG_ROWS[0]


def test_unknown_encoding_is_refused_with_a_message(in_acme, owner, upload):
    content = csv_bytes([["名前", "メール"], ["山田太郎", "taro@example.jp"]], encoding="shift_jis")
    with pytest.raises(ImportFileEncoding, match="could not be read"):
        _create(upload, owner, content)
    assert not ImportJob.objects.exists()


def test_empty_file(in_acme, owner, upload):
    with pytest.raises(ImportFileEmpty, match="The file is empty"):
        _create(upload, owner, b"")


def test_only_blank_lines(in_acme, owner, upload):
    with pytest.raises(ImportFileEmpty, match="no rows"):
        _create(upload, owner, b"\r\n\r\n,,\r\n")


@pytest.mark.parametrize("content, name", [
    (b"%PDF-1.4 binary", "people.csv"), (b"\x89PNG\r\n\x1a\n....", "people.csv"), (b"plain text", "people.pdf"),
    (b"\x00\x01\x02\x03binary\x00\xff", "people.csv"),
])
def test_not_a_csv_or_xlsx(in_acme, owner, upload, content, name):
    with pytest.raises(ImportFileUnsupported, match="not a CSV or XLSX"):
        _create(upload, owner, content, name)


def test_file_over_50_mb_is_refused_before_reading(in_acme, owner, tmp_path):
    # given: a sparse 50 MB + 1 byte file (costs no disk)
    path = tmp_path / "big.csv"
    with open(path, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    # when / then
    with open(path, "rb") as handle, pytest.raises(ImportFileTooLarge, match="larger than 50 MB"):
        import_job_create(actor=owner, upload=File(handle, name="big.csv"), entity="contact")
    assert not ImportJob.objects.exists()


def test_web_upload_over_50_mb_is_refused_from_its_length(client_for, owner):
    from django.urls import reverse

    client = client_for(owner)
    response = client.post(reverse("import_new"), data=b"x", content_type="multipart/form-data; boundary=x",
                           CONTENT_LENGTH=str(MAX_FILE_BYTES * 2))
    assert response.status_code == 413 and "larger than 50 MB" in response.content.decode()


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_is_read(in_acme, owner, upload, run_import):
    job = _create(upload, owner, _xlsx([["First name", "E-mail", "Seats"], ["Ivan", "ivan@example.com", 12]]), "p.xlsx")
    assert job.file_format == "xlsx" and job.mapping == {"0": "first_name", "1": "emails"}
    assert run_import(job, owner).created_count == 1


def test_xlsx_zip_bomb_is_refused_before_openpyxl(in_acme, owner, upload):
    # given: a valid-looking workbook whose sheet unpacks to 60 MB of zeros (~60 KB packed)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    # when / then
    with pytest.raises(ImportFileUnsafe):
        _create(upload, owner, buffer.getvalue(), "bomb.xlsx")
    assert not ImportJob.objects.exists()


def test_zip_member_that_lies_about_its_size_is_refused(in_acme, owner, upload):
    # given: a member declaring 1 KB that really unpacks to 5 MB
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (5 * 1024 * 1024))
    data = bytearray(buffer.getvalue())
    # Patch the declared size in the central directory and the local header.
    name = b"xl/worksheets/sheet1.xml"
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        start = data.find(signature, 0)
        while start != -1:
            name_at = start + (46 if signature == b"PK\x01\x02" else 30)
            if bytes(data[name_at:name_at + len(name)]) == name:
                data[start + offset:start + offset + 4] = (1024).to_bytes(4, "little")
            start = data.find(signature, start + 4)
    # (zipfile itself stops at the declared size and reports a bad CRC: refused either way)
    with pytest.raises((ImportFileUnsafe, ImportFileBroken)):
        _create(upload, owner, bytes(data), "liar.xlsx")
    assert not ImportJob.objects.exists()


def test_formula_cells_are_neutralised_in_the_error_report(in_acme, owner, upload, run_import):
    rows = [["First name", "E-mail"], ["=HYPERLINK(\"http://evil\")", "bad"], ["+1+1", "@SUM(A1)"], ["-2", "x"]]
    job = run_import(_create(upload, owner, csv_bytes(rows)), owner, mode="skip")
    report = default_storage.open(job.error_report_path).read().decode("utf-8-sig").splitlines()
    assert report[1].startswith("2,\"'=HYPERLINK") and "'+1+1" in report[2] and "'@SUM(A1)" in report[2]
    assert "'-2" in report[3]
    assert spreadsheet_safe("Ivan") == "Ivan" and spreadsheet_safe("=1") == "'=1"


def test_10k_bad_rows_are_listed_and_all_or_nothing_writes_nothing(in_acme, owner, upload, run_import):
    # given: 10 000 bad rows among 10 000 good ones
    rows = [["First name", "E-mail"]]
    for i in range(10_000):
        rows += [[f"Good {i}", f"good{i}@example.com"], [f"Bad {i}", f"bad{i}-at-example.com"]]
    content = csv_bytes(rows)
    # when: all or nothing
    job = run_import(_create(upload, owner, content), owner, mode="all")
    # then
    assert (job.status, job.failed_count, job.created_count) == ("failed", 10_000, 0)
    assert "10000 rows are not valid" in job.message
    assert not Contact.objects.exists()
    report = default_storage.open(job.error_report_path).read().decode("utf-8-sig").splitlines()
    assert len(report) == 10_001 and report[-1].startswith("20001,")
    # when: skip mode writes the good ones
    job = run_import(_create(upload, owner, content), owner, mode="skip")
    assert (job.status, job.failed_count, job.created_count) == ("done", 10_000, 10_000)
    assert Contact.objects.count() == 10_000


def test_wrong_encoding_inside_the_file_fails_the_job_with_a_message(in_acme, owner, upload, run_import):
    # The first 256 KB are UTF-8; a Windows-1251 line further down cannot be read as UTF-8.
    rows = [["First name", "E-mail"]] + [[f"Person {i}", f"p{i}@example.com"] for i in range(12_000)]
    content = csv_bytes(rows) + "Иван,ivan@example.com\r\n".encode("cp1251")
    job = run_import(_create(upload, owner, content), owner)
    assert job.status == "failed" and "not UTF-8 text" in job.message
    assert not Contact.objects.exists()


def test_stored_under_the_workspace_schema(in_acme, owner, upload):
    job = _create(upload, owner, csv_bytes(BG_ROWS))
    assert job.file_path.startswith(f"{in_acme.schema_name}/imports/")
    assert default_storage.exists(job.file_path)


def test_the_uploaded_file_is_removed_once_the_job_has_run(in_acme, owner, upload, run_import):
    job = run_import(_create(upload, owner, csv_bytes(BG_ROWS)), owner)
    assert job.status == "done" and not default_storage.exists(job.file_path)
