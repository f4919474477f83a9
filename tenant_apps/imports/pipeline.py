"""Importing contacts as a pipeline: each row is validated and, if it makes a new contact,
sent straight into one COPY, so that PostgreSQL inserts (on one core) while Python
validates the next rows (on the other), instead of validating everything and then writing.

What a row needs before it can be sent is known up front: the existing contacts are found
by every address in the file's e-mail cells (a superset of the rows' keys) and the
companies by every name in its company cells; new companies' ids are taken from their
sequence up front. New contacts get theirs from the sequence as the COPY inserts them,
in file order, and are read back in that order afterwards (one indexed query instead of
fetching 100k sequence values before writing). The outcome is the same as validating first: every row is
cleaned and decided by the same code (services.row_decider), in file order. In
all-or-nothing mode a row that is not valid stops the writing and the transaction is
rolled back, so nothing is written then either."""

from django.db import connection, connections
from django.db.models.functions import Lower

from tenant_apps.companies.models import Company
from tenant_apps.contacts.models import Contact
from tenant_apps.records.visibility import visible

from . import writing
from .models import ImportJob

PROGRESS_EVERY = 5_000


class Rollback(Exception):
    """All-or-nothing: a row was not valid; leave the import's transaction unwritten."""

    def __init__(self, cleaned: list):
        super().__init__()
        self.cleaned = cleaned


def _ids(model, count: int) -> list[int]:
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [table, model._meta.pk.column, count])
        return sorted(pk for (pk,) in cursor.fetchall())


def _candidates(cleaner, rows) -> tuple[list[str], dict[str, str]]:
    """Every address in the e-mail cells (lower case) and every company name (lower case
    -> as first written), as the cleaner would read them: a superset of what rows use."""
    email_columns = [index for index, key in cleaner.columns if key == "emails"]
    company_columns = [index for index, key in cleaner.columns if key == "company"]
    emails, names = set(), {}
    for _number, cells in rows:
        for index in email_columns:
            if index < len(cells) and cells[index]:
                emails.update(part.strip().lower() for part in cells[index].replace(";", ",").split(","))
        for index in company_columns:
            if index < len(cells) and cells[index]:
                name = " ".join(cells[index].split())
                names.setdefault(name.lower(), name)
    emails.discard("")
    return sorted(emails), names


class _Progress:
    """processed_rows, written through a connection of its own: the import's transaction
    is busy with the COPY, and what it writes is not seen before it commits."""

    def __init__(self, job: ImportJob):
        self.job_id = job.pk
        self.table = f"{connection.ops.quote_name(connection.schema_name)}.{ImportJob._meta.db_table}"
        self.connection = None

    def __call__(self, done: int) -> None:
        if self.connection is None:
            self.connection = connections.create_connection("default")
            self.connection.set_autocommit(True)
        with self.connection.cursor() as cursor:
            cursor.execute(f"UPDATE {self.table} SET processed_rows = %s, updated_at = now() WHERE id = %s",
                           [done, self.job_id])

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def contacts_import(job: ImportJob, rows: list, *, actor, cleaner, decide_for, all_or_nothing: bool,
                    written_at, room: int | None = None, room_error: str = "") -> tuple[list, list, list]:
    """Clean, decide and write `rows` in the current transaction. Returns (cleaned rows,
    created rows, updated rows); raises Rollback (after cleaning every row, for the
    report) when all-or-nothing and some row is not valid.

    `room`: how many new contacts the plan still allows (None: no limit). Every valid row
    that would make a new contact past it gets `room_error` (key "plan") and counts as
    not valid, in file order, so the rows that fit are exactly the first `room` ones."""
    emails, names = _candidates(cleaner, rows)
    existing = writing.contacts_by_email(emails)
    companies = {}
    if names:
        queryset = visible(Company.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=list(names)), actor)
        for pk, lower_name in queryset.order_by("pk").values_list("pk", "lower_name"):
            companies.setdefault(lower_name, pk)
    new_company_ids = dict(zip([key for key in names if key not in companies],
                               _ids(Company, sum(1 for key in names if key not in companies)), strict=True))
    decide = decide_for(lambda row: existing.get(row.key))
    used_companies = {}
    cleaned, created, updated = [], [], []
    failed = False
    progress = _Progress(job)
    fields = writing._writable_fields(Contact)
    base = {f.attname: f.get_default() for f in fields}
    base.update(owner_id=actor.pk, created_by_id=actor.pk, created_at=written_at, updated_at=written_at,
                import_job_id=job.pk)
    columns = [f.attname for f in fields]
    # A row is the defaults with the row's own values put in (a handful of 20-odd columns).
    template = [base[c] for c in columns]
    position_of = {c: i for i, c in enumerate(columns)}

    new_rows = 0

    def new_contacts():
        nonlocal failed, new_rows
        for position, (number, cells) in enumerate(rows, start=1):
            row = decide(cleaner.clean(number, cells))
            cleaned.append(row)
            if position % PROGRESS_EVERY == 0:
                progress(position)
            if row.errors:
                failed = True
                continue
            if row.existing is None and room is not None:
                if new_rows >= room:
                    row.errors["plan"] = room_error
                    failed = True
                    continue
                new_rows += 1
            if failed and all_or_nothing:
                continue  # nothing will be written: only clean the rest for the report
            if row.company_name:
                key = row.company_name.lower()
                if key in companies:
                    row.values["company_id"] = companies[key]
                else:
                    row.values["company_id"] = new_company_ids[key]
                    used_companies.setdefault(key, row.company_name)  # its first spelling in a good row
            if row.existing is not None:
                updated.append(row)
                continue
            created.append(row)
            record = template.copy()
            for name, value in row.values.items():
                at = position_of.get(name)
                if at is not None:
                    record[at] = value
            yield record

    try:
        with writing.insert_events_in_bulk(Contact, "r.import_job_id = %s", [job.pk]):
            writing.copy_rows(Contact, columns, new_contacts())
        if failed and all_or_nothing:
            raise Rollback(cleaned)
        # The ids the sequence gave, ascending in the order the COPY inserted the rows.
        new_ids = Contact.objects.filter(import_job_id=job.pk).order_by("pk").values_list("pk", flat=True)
        for row, pk in zip(created, new_ids, strict=True):
            row.new_id = pk
        if used_companies:
            company_rows = [{"id": new_company_ids[key], "name": name} for key, name in used_companies.items()]
            writing.records_create(Company, company_rows, job_id=job.pk, actor_id=actor.pk, written_at=written_at,
                                   with_ids=True)
    finally:
        progress.close()
    return cleaned, created, updated
