"""Import fixtures: files made in memory, and running an import the way the app does
(queued after commit; Celery runs eagerly in tests)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection


def csv_bytes(rows, *, encoding="utf-8", delimiter=",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def upload():
    def make(content: bytes, name: str = "people.csv"):
        return SimpleUploadedFile(name, content, content_type="text/csv")

    return make


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """run_import(job, actor, mode=...) -> the job after its task ran."""
    from tenant_apps.imports.models import ImportJob
    from tenant_apps.imports.services import import_job_start

    def run(job, actor, mode=None):
        tenant = connection.tenant
        with django_capture_on_commit_callbacks(execute=True):
            import_job_start(job=job, actor=actor, mode=mode)
        connection.set_tenant(tenant)
        return ImportJob.objects.get(pk=job.pk)

    return run
