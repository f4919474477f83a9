"""Importing contacts from CSV: a 100k-row file end to end (read, validate with the
services' cleaning functions, write in bulk), beside a raw COPY of the same file into
the same table in the same run as the baseline: its history triggers fire, in the same
set-up as the import's transaction (a history context).

Budget (issue 3): the import creates >= 20 000 rows/s.
Run: python bench/crm_import.py (DATABASE_URL/REDIS_URL as for make bench).
"""

import csv
import os
import secrets
import sys
import tempfile
import time

from _harness import fmt_seconds, setup, table

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
FIRST = ["Ivan", "Maria", "Georgi", "Elena", "Petar", "Anna", "Nikolay", "Desislava", "Stefan", "Yana"]
LAST = ["Petrov", "Ivanova", "Georgiev", "Dimitrova", "Nikolov", "Stoyanova", "Todorov", "Angelova"]
CITIES = ["Sofia", "Plovdiv", "Varna", "Burgas", "Ruse", "Stara Zagora"]
HEADER = ["First name", "Last name", "E-mail", "Phone", "City", "Job title"]
COLUMNS = ["first_name", "last_name", "email", "phone", "city", "job_title"]
# For a raw COPY: the NOT NULL columns Django fills itself.
COPY_DEFAULTS = {"custom": "'{}'::jsonb", "created_at": "now()", "updated_at": "now()", "website": "''",
                 "address_line1": "''", "address_line2": "''", "postal_code": "''", "region": "''", "country": "''",
                 "description": "''", "lifecycle_stage": "'lead'", "source": "''"}


def write_file(path: str, run: str) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(ROWS):
            writer.writerow([FIRST[i % 10], LAST[i % 8], f"person{i}.{run}@example.com", f"0888 {i % 1000000:06d}",
                             CITIES[i % 6], "Buyer" if i % 3 else ""])


def _copy_file(cursor, path: str) -> None:
    """COPY the CSV file as it is into contacts_contact (the NOT NULL columns Django fills
    itself get defaults for the transaction)."""
    for column, value in COPY_DEFAULTS.items():
        cursor.execute(f"ALTER TABLE contacts_contact ALTER COLUMN {column} SET DEFAULT {value}")
    with open(path, "rb") as handle, cursor.cursor.copy(
        f"COPY contacts_contact ({', '.join(COLUMNS)}) FROM STDIN "
        f"WITH (FORMAT csv, HEADER true, FORCE_NOT_NULL ({', '.join(COLUMNS)}))"
    ) as copy:
        while chunk := handle.read(1024 * 1024):
            copy.write(chunk)


def raw_copy(path: str, actor) -> float:
    """COPY the file straight into contacts_contact (defaults given to the NOT NULL
    columns Django fills itself), then roll back."""
    from django.db import connection, transaction

    from tenant_apps.records.history import history_context

    started = time.perf_counter()
    try:
        with transaction.atomic(), history_context(actor, "bench"):
            with connection.cursor() as cursor:
                _copy_file(cursor, path)
            elapsed = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return elapsed


def raw_three_tables(path: str, actor) -> float:
    """PostgreSQL's own share of the import: COPY the file into contacts_contact, make
    each contact's e-mail and phone rows from it with INSERT ... SELECT, and check the
    foreign keys (SET CONSTRAINTS ALL IMMEDIATE), with no validation and no history (the
    insert triggers are skipped); then roll back. What the import writes, minus its
    history events, at the server's speed."""
    from django.db import connection, transaction

    from tenant_apps.contacts.models import Contact, ContactEmail, ContactPhone
    from tenant_apps.imports.writing import _insert_trigger

    ignored = ",".join(f"{m._meta.db_table}:{_insert_trigger(m).get_pgid(m)},{_insert_trigger(m).get_pgid(m)}"
                       for m in (Contact, ContactEmail, ContactPhone))
    started = time.perf_counter()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", ["{%s}" % ignored])
                _copy_file(cursor, path)
                cursor.execute("INSERT INTO contacts_contactemail (contact_id, email, label, is_primary) "
                               "SELECT id, email, 'work', true FROM contacts_contact WHERE email <> ''")
                cursor.execute("INSERT INTO contacts_contactphone (contact_id, number, label, is_primary) "
                               "SELECT id, phone, 'mobile', true FROM contacts_contact WHERE phone <> ''")
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            elapsed = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return elapsed


class _Rollback(Exception):
    pass


def main() -> int:
    setup()
    from django.core.files import File
    from django.db import connection

    from shared_apps.accounts.models import User
    from tenant_apps.contacts.models import Contact
    from tenant_apps.imports.models import ImportJob
    from tenant_apps.imports.services import import_job_create, import_job_map, import_job_run, import_job_undo
    from tenants.models import Tenant
    from tenants.services import tenant_delete, tenant_provision

    run = secrets.token_hex(3)
    owner = User.objects.create_user(f"bench-import-{run}@tessera.test", None)
    from billing.models import Plan

    # Unlimited contacts: the benchmark measures the import, not the plan's limit.
    tenant = tenant_provision(slug=f"bench-import-{run}", name="Bench import", owner=owner, method="clone",
                              plan=Plan.objects.get(code="enterprise"))
    path = os.path.join(tempfile.mkdtemp(), "contacts.csv")
    results = {}
    try:
        write_file(path, run)
        connection.set_tenant(tenant)
        baseline = raw_copy(path, owner)
        assert not Contact.objects.exists()
        floor = raw_three_tables(path, owner)
        assert not Contact.objects.exists()

        def import_file():
            started = time.perf_counter()
            with open(path, "rb") as handle:
                job = import_job_create(actor=owner, upload=File(handle, name="contacts.csv"), entity="contact")
            job = import_job_map(job=job, actor=owner, mapping=job.mapping, mode="all")
            ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
            import_job_run(job_id=job.pk)
            elapsed = time.perf_counter() - started
            return ImportJob.objects.get(pk=job.pk), elapsed

        def validate_only():
            from tenant_apps.imports.files import FileInfo, rows_read
            from tenant_apps.imports.services import rows_clean

            started = time.perf_counter()
            with open(path, "rb") as handle:
                job = import_job_create(actor=owner, upload=File(handle, name="contacts.csv"), entity="contact")
                handle.seek(0)
                rows = list(rows_read(handle, FileInfo("csv", encoding=job.encoding, delimiter=job.delimiter)))[1:]
            cleaned = rows_clean(job, rows)
            assert not any(r.errors for r in cleaned)
            return time.perf_counter() - started

        results["validate"] = validate_only()
        created_job, results["create"] = import_file()
        assert (created_job.status, created_job.created_count) == ("done", ROWS), created_job.message
        updated_job, results["update"] = import_file()
        assert (updated_job.status, updated_job.updated_count) == ("done", ROWS), updated_job.message
        started = time.perf_counter()
        import_job_undo(job=updated_job, actor=owner)
        results["undo update"] = time.perf_counter() - started
        started = time.perf_counter()
        import_job_undo(job=created_job, actor=owner)
        results["undo create"] = time.perf_counter() - started
        assert not Contact.objects.exists()
    finally:
        connection.set_schema_to_public()
        tenant_delete(tenant=Tenant.objects.get(pk=tenant.pk), backup=False)
        owner.delete()
        os.unlink(path)

    def rate(seconds):
        return f"{ROWS / seconds:,.0f} rows/s"

    rows = [("way", "rows", "time", "rate", "vs raw COPY"),
            ("raw COPY of the file (baseline)", ROWS, fmt_seconds(baseline), rate(baseline), "1.0x"),
            ("raw writes of the import's 3 tables, no history", ROWS, fmt_seconds(floor), rate(floor),
             f"{floor / baseline:.1f}x the time")]
    for name, label in (("validate", "read and validate only (no writes)"),
                        ("create", "import: create, with validation"), ("update", "import: update by e-mail"),
                        ("undo update", "undo of the update import"), ("undo create", "undo of the create import")):
        rows.append((label, ROWS, fmt_seconds(results[name]), rate(results[name]),
                                  f"{results[name] / baseline:.1f}x the time"))
    create_rate = ROWS / results["create"]
    ok = table(f"Contact import ({ROWS:,} rows, CSV)", rows, [
        (f"import creates {create_rate:,.0f} rows/s (>= 20,000)", create_rate >= 20_000),
    ])
    print("  The import validates every row and writes three tables (contacts, their e-mails, their phones)\n"
          "  with a history event for each row; the raw COPY writes one table (its history trigger firing per\n"
          "  row). The raw writes of the 3 tables are PostgreSQL's own share of the import: the file COPYed\n"
          "  into contacts, e-mail and phone rows made from them in the server, foreign keys checked, no\n"
          "  validation and no history. Compare the ratios on a busy machine. Load average (1, 5, 15 min): %.2f %.2f %.2f"
          % os.getloadavg())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
