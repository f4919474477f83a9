"""Isolation-matrix rows for imports (see tests/test_isolation.py): every page and API
endpoint needs records.import (managers and up); the job is acme's."""

from django.db import connection

URLS = {
    "import_list": ("get", "manager"),
    "import_new": ("get", "manager"),
    "import_detail": ("get", "manager"),
    "import_mapping": ("get", "manager"),
    "import_status": ("get", "manager"),
    "import_errors": ("get", "manager"),
    "import_undo": ("post", "manager"),
    "import_retry": ("post", "manager"),
    "api_import_list": ("get", "api"),
    "api_import_detail": ("get", "api"),
    "api_import_errors": ("get", "api"),
    "api_import_undo": ("post", "api"),
}

WITH_JOB = {"import_detail", "import_mapping", "import_status", "import_errors", "import_undo", "import_retry", "api_import_detail",
            "api_import_errors", "api_import_undo"}


def _job(tenant):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from shared_apps.accounts.models import Membership
    from tenant_apps.imports.models import ImportJob

    owner = Membership.objects.get(tenant=tenant, role="owner").user
    folder = f"{tenant.schema_name}/imports/isolation"
    path = default_storage.save(f"{folder}/secret.csv", ContentFile("Name,E-mail\nPrivate Person,private@secret.example\n"))
    report = default_storage.save(f"{folder}/errors.csv", ContentFile("Row,Name\n2,Private Person\n"))
    return ImportJob.objects.create(
        entity="contact", file_name="secret.csv", file_path=path, file_size=50, file_format="csv", encoding="utf-8",
        delimiter=",", headers=["Name", "E-mail"], mapping={"0": "full_name", "1": "emails"}, status="done",
        total_rows=1, processed_rows=1, created_count=1, error_report_path=report, created_by=owner,
    )


def url_args(name, tenant):
    if name not in WITH_JOB:
        return []
    connection.set_tenant(tenant)
    try:
        return [_job(tenant).pk]
    finally:
        connection.set_schema_to_public()
