"""Imports: upload a file, map its columns, run it (in Celery), undo it."""

import logging
import os
import re
import uuid

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from billing.catalogue import plan_display_name
from billing.entitlements import entitlement_check, plan_of
from billing.errors import EntitlementError
from shared_apps.accounts.rules import can
from tenant_apps.companies.models import Company
from tenant_apps.contacts.models import Contact
from tenant_apps.deals.models import Deal
from tenant_apps.records.history import history_context
from tenant_apps.records.visibility import visible
from tenants.queueing import task_enqueue_on_commit

from . import writing
from .cleaning import CLEANERS
from .errors import ImportAlreadyUndone, ImportFileEmpty, ImportPermissionError, ImportProblem, ImportStateError
from .files import FileInfo, file_inspect, rows_read, upload_size_check
from .mapping import mapping_clean, mapping_guess, targets_for
from .models import ImportJob, ImportSnapshot
from .reports import error_report_write

logger = logging.getLogger(__name__)
MODELS = {"contact": Contact, "company": Company, "deal": Deal}
PROGRESS_EVERY = 5_000


def _require(actor) -> None:
    if not can(actor, "records.import"):
        raise ImportPermissionError()


def _job_folder(job_token: str) -> str:
    # Tenant-prefixed: one workspace's files never share a folder with another's.
    return f"{connection.schema_name}/imports/{job_token}"


def _safe_name(name: str) -> str:
    base = os.path.basename(name or "import.csv")
    return re.sub(r"[^\w.\-]+", "_", base)[:100] or "import.csv"


def import_job_create(*, actor, upload, entity: str) -> ImportJob:
    """Check an uploaded file (size, type, encoding, zip bomb), keep it in the
    workspace's private storage and guess the column mapping from its header.
    Raises an ImportProblem with the user's message (PlanLimitReached when the plan has
    no room for the file, or for contacts at all); stores nothing then."""
    _require(actor)
    if entity not in MODELS:
        raise ImportStateError(_("Choose contacts, companies or deals."))
    upload_size_check(getattr(upload, "size", None))
    # The plan: room in its file storage, and no contact import while over its contacts.
    entitlement_check(connection.tenant, "storage", upload.size)
    if entity == "contact":
        entitlement_check(connection.tenant, "contacts", 0)
    name = getattr(upload, "name", "") or "import.csv"
    info = file_inspect(upload, name=name)
    upload.seek(0)
    rows = rows_read(upload, info, limit=1)
    header = next(rows, None)
    rows.close()  # lets go of the file before it is stored
    if header is None:
        raise ImportFileEmpty(_("The file has no rows."))
    headers = [h or _("Column %(n)d") % {"n": i + 1} for i, h in enumerate(header[1])]
    upload.seek(0)
    path = default_storage.save(f"{_job_folder(uuid.uuid4().hex)}/{_safe_name(name)}", upload)
    return ImportJob.objects.create(
        entity=entity, file_name=os.path.basename(name)[:255], file_path=path, file_size=upload.size,
        file_format=info.file_format, encoding=info.encoding, delimiter=info.delimiter, headers=headers,
        mapping=mapping_guess(entity, headers), created_by=actor, language=translation.get_language() or "en",
    )


def import_job_map(*, job: ImportJob, actor, mapping: dict, mode: str | None = None) -> ImportJob:
    """Save the columns-to-fields mapping (and the mode) of a job not started yet."""
    _require(actor)
    if job.status != ImportJob.Status.UPLOADED:
        raise ImportStateError(_("This import has already started."))
    job.mapping = mapping_clean(job.entity, job.headers, mapping)
    if mode is not None:
        if mode not in ImportJob.Mode.values:
            raise ImportStateError(_("Choose how rows that are not valid are handled."))
        job.mode = mode
    job.save(update_fields=["mapping", "mode", "updated_at"])
    return job


def import_job_start(*, job: ImportJob, actor, mode: str | None = None) -> ImportJob:
    """Queue the import (after commit); the task takes the job's id."""
    from .tasks import import_run_task

    _require(actor)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportJob.Status.UPLOADED:
            raise ImportStateError(_("This import has already started."))
        mapping_clean(job.entity, job.headers, job.mapping)
        if job.entity == "contact":
            entitlement_check(connection.tenant, "contacts", 0)  # over the plan's contacts since the upload
        if mode is not None:
            if mode not in ImportJob.Mode.values:
                raise ImportStateError(_("Choose how rows that are not valid are handled."))
            job.mode = mode
        job.status = ImportJob.Status.QUEUED
        job.save(update_fields=["status", "mode", "updated_at"])
        task_enqueue_on_commit(import_run_task, job.pk)
    return job


def field_labels(entity: str) -> dict:
    """Field name -> label, for messages and the error report."""
    model = MODELS[entity]
    labels = {f.name: str(f.verbose_name) for f in model._meta.fields}
    labels.update({t.key: str(t.label) for t in targets_for(entity)})
    labels.update({"emails": _("E-mail"), "phones": _("Phone"), "plan": _("Plan")})
    return labels


def rows_clean(job: ImportJob, numbered_rows, *, on_progress=None) -> list:
    """Validate rows and decide create or update: each CleanRow gets `existing` (the
    record's id) or None, and errors for duplicates inside the file."""
    cleaner = CLEANERS[job.entity](job.mapping)
    cleaned = []
    for position, (number, cells) in enumerate(numbered_rows, start=1):
        cleaned.append(cleaner.clean(number, cells))
        if on_progress is not None and position % PROGRESS_EVERY == 0:
            on_progress(position)
    if job.entity == "deal":
        return _deal_contacts_link(cleaner, cleaned)
    if job.entity == "contact":
        existing = writing.contacts_by_email(sorted({r.key for r in cleaned if r.key and not r.errors}))
        found = lambda row: existing.get(row.key)  # noqa: E731
        duplicate = _("The same e-mail address is already on row %(row)d.")
    else:
        valid = [r for r in cleaned if not r.errors]
        by_domain, by_name = writing.companies_by_key(
            sorted({r.values["domain"] for r in valid if r.values.get("domain")}),
            sorted({r.values["name"].lower() for r in valid}),
        )
        found = lambda row: by_domain.get(row.values.get("domain")) or by_name.get(row.values["name"].lower())  # noqa: E731
        duplicate = _("The same company is already on row %(row)d.")
    decide = row_decider(job, cleaner, found, duplicate)
    return [decide(row) for row in cleaned]


def row_decider(job: ImportJob, cleaner, found, duplicate: str | None = None):
    """decide(row) for cleaned rows in file order: a duplicate of an earlier row's key
    gets an error; otherwise `existing` (the id of the record `found(row)` gives, or None)
    and the custom values checked against that record's."""
    if duplicate is None:
        duplicate = _("The same e-mail address is already on row %(row)d.")
    required = any(f.is_required for f in cleaner.custom_fields)
    seen = {}

    def decide(row):
        row.existing = None
        if row.errors:
            return row
        if row.key:
            if row.key in seen:
                row.errors["emails" if job.entity == "contact" else "name"] = duplicate % {"row": seen[row.key]}
                return row
            seen[row.key] = row.number
        current = found(row)
        if row.custom or required:
            custom = cleaner.custom_for(row, current[1] if current else None)
            if row.custom:
                row.values["custom"] = custom
        row.existing = current[0] if current else None
        return row

    return decide


def _deal_contacts_link(cleaner, cleaned: list) -> list:
    """Deals are always new: find the contacts named by e-mail, check custom fields."""
    existing = writing.contacts_by_email(sorted({e for r in cleaned if not r.errors for e in r.emails}))
    for row in cleaned:
        row.existing = None
        if row.errors:
            continue
        missing = [email for email in row.emails if email not in existing]
        if missing:
            row.errors["contacts"] = _("No contact has the e-mail address “%(value)s”.") % {"value": missing[0]}
            continue
        row.contact_ids = sorted({existing[email][0] for email in row.emails})
        custom = cleaner.custom_for(row, None)
        if row.custom:
            row.values["custom"] = custom
    return cleaned


def _fail(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED, message=message, finished_at=timezone.now(), updated_at=timezone.now()
    )


def import_job_run(*, job_id: int) -> None:
    """Run a queued import: read and validate every row (progress saved as it goes),
    write the error report, then write all good rows in one transaction, or none in
    all-or-nothing mode when a row is not valid. Idempotent: only a queued job runs."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.VALIDATING, started_at=timezone.now(), updated_at=timezone.now()
    )
    if not claimed:
        return
    job = ImportJob.objects.get(pk=job_id)
    with translation.override(job.language or "en"):
        try:
            _run(job)
        except (ImportProblem, EntitlementError) as exc:
            _fail(job, str(exc.message))
        except Exception:
            logger.exception("Import %s failed", job_id)
            _fail(job, _("The import stopped because of an unexpected error. Nothing was saved."))
            raise
        finally:
            # The uploaded file is not needed once the job has run (undo works from the
            # records and snapshots), unless it can run again skipping the rows that were
            # not valid (import_job_retry_skipping); the error report stays for download.
            job.refresh_from_db()
            if not job.can_retry_skipping:
                default_storage.delete(job.file_path)


def _run(job: ImportJob) -> None:
    actor = get_user_model().objects.filter(pk=job.created_by_id).first()
    if actor is None or not can(actor, "records.import"):
        raise ImportPermissionError()
    info = FileInfo(job.file_format, encoding=job.encoding, delimiter=job.delimiter)
    with default_storage.open(job.file_path, "rb") as stream:
        rows = list(rows_read(stream, info))[1:]
    if not rows:
        raise ImportFileEmpty(_("The file has no rows to import."))
    ImportJob.objects.filter(pk=job.pk).update(total_rows=len(rows), updated_at=timezone.now())

    if job.entity == "contact":
        _run_contacts(job, rows, actor=actor)
        return

    def progress(done):
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, updated_at=timezone.now())

    cleaned = rows_clean(job, rows, on_progress=progress)
    invalid = _report(job, cleaned)
    if invalid and job.mode == ImportJob.Mode.ALL_OR_NOTHING:
        _refuse(job, invalid)
        return
    job.status = ImportJob.Status.WRITING
    job.save()
    good = [r for r in cleaned if not r.errors]
    with transaction.atomic(), history_context(actor, "import"):
        written_at = timezone.now()
        created, updated = _write(job, good, actor=actor, written_at=written_at)
        job.created_count, job.updated_count = created, updated
        job.status = ImportJob.Status.DONE
        job.written_at = written_at
        job.finished_at = timezone.now()
        job.save()


def _report(job: ImportJob, cleaned: list) -> list:
    """Count the rows (on a fresh copy of the job) and write the error report; the
    rows that are not valid."""
    invalid = [r for r in cleaned if r.errors]
    job.refresh_from_db()
    job.processed_rows = len(cleaned)
    job.failed_count = len(invalid)
    if invalid:
        job.error_report_path = error_report_write(
            path=f"{os.path.dirname(job.file_path)}/errors-{job.pk}.csv", headers=job.headers, rows=invalid,
            labels=field_labels(job.entity),
        )
    return invalid


def _refuse(job: ImportJob, invalid: list, room: int | None = None) -> None:
    """All-or-nothing and some rows are not valid: nothing was written."""
    job.status = ImportJob.Status.FAILED
    job.message = ngettext(
        "%(n)d row is not valid, so nothing was imported. The error report lists it.",
        "%(n)d rows are not valid, so nothing was imported. The error report lists them.",
        len(invalid),
    ) % {"n": len(invalid)}
    over = sum(1 for row in invalid if "plan" in row.errors)
    if over:
        job.message += " " + ngettext(
            "Your plan has room for %(n)d more contact.", "Your plan has room for %(n)d more contacts.", room or 0,
        ) % {"n": room or 0} + " " + ngettext(
            "%(n)d new contact in the file is over it.", "%(n)d new contacts in the file are over it.", over,
        ) % {"n": over}
    job.finished_at = timezone.now()
    job.save()


def _run_contacts(job: ImportJob, rows: list, *, actor) -> None:
    """Contacts are validated and written in one pass (see pipeline.py), in one
    transaction: all of it, or in all-or-nothing mode nothing when a row is not valid."""
    from . import pipeline

    cleaner = CLEANERS["contact"](job.mapping)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.WRITING, updated_at=timezone.now())
    room = None
    try:
        with transaction.atomic(), history_context(actor, "import"):
            # One count for the whole import, under the plan's lock (held to commit): new
            # contacts made elsewhere meanwhile wait, so the room stays true.
            plan = plan_of(connection.tenant)
            room = entitlement_check(connection.tenant, "contacts", 0, plan=plan)
            room_error = _("The %(plan)s plan allows %(limit)s contacts and has room for %(room)s more: this "
                           "row would be over the limit.") % {
                "plan": plan_display_name(plan), "limit": number_format(plan.max_contacts or 0, force_grouping=True),
                "room": number_format(room or 0, force_grouping=True),
            }
            written_at = timezone.now()
            cleaned, creates, updates = pipeline.contacts_import(
                job, rows, actor=actor, cleaner=cleaner, decide_for=lambda found: row_decider(job, cleaner, found),
                all_or_nothing=job.mode == ImportJob.Mode.ALL_OR_NOTHING, written_at=written_at,
                room=room, room_error=room_error,
            )
            writing.records_snapshot("contact", job_id=job.pk, ids=[r.existing for r in updates])
            ids = [r.new_id for r in creates]
            writing.contact_lists_create(ids, creates)
            _updates_write(job, Contact, ids, creates, updates, written_at=written_at)
            _report(job, cleaned)
            job.created_count, job.updated_count = len(creates), len(updates)
            job.status = ImportJob.Status.DONE
            job.written_at = written_at
            job.finished_at = timezone.now()
            job.save()
    except pipeline.Rollback as exc:
        _refuse(job, _report(job, exc.cleaned), room)


def _updates_write(job: ImportJob, model, ids: list, creates: list, updates: list, *, written_at) -> None:
    """The updated records' values (and a contact's new addresses and numbers), then
    the tags of every written row."""
    if job.entity == "contact":
        changes = [(r.existing, {k: v for k, v in r.values.items() if k not in ("email", "phone")}) for r in updates]
    else:
        changes = [(r.existing, r.values) for r in updates]
    writing.records_update(job.entity, model, [(pk, values) for pk, values in changes if values] or [],
                           job_id=job.pk, written_at=written_at)
    if job.entity == "contact":
        writing.contact_lists_add([(r.existing, r) for r in updates], job_id=job.pk)
    tagged = sorted([(r.number, pk, r.tags) for pk, r in zip(ids, creates, strict=True) if r.tags]
                    + [(r.number, r.existing, r.tags) for r in updates if r.tags])
    writing.tags_add(model, [(pk, tags) for _number, pk, tags in tagged])  # a tag's first spelling in the file wins


def _write(job: ImportJob, rows: list, *, actor, written_at) -> tuple[int, int]:
    model = MODELS[job.entity]
    creates = [r for r in rows if r.existing is None]
    updates = [r for r in rows if r.existing is not None]
    if job.entity in ("contact", "deal"):
        _companies_link(job, rows, actor=actor, written_at=written_at)
    if job.entity == "deal":
        writing.deals_place(creates, written_at=written_at)
    writing.records_snapshot(job.entity, job_id=job.pk, ids=[r.existing for r in updates])
    ids = writing.records_create(model, [r.values for r in creates], job_id=job.pk, actor_id=actor.pk,
                                 written_at=written_at)
    if job.entity == "deal":
        writing.deals_extras_create(ids, creates, actor_id=actor.pk, written_at=written_at)
    if job.entity == "contact":
        writing.contact_lists_create(ids, creates)
    _updates_write(job, model, ids, creates, updates, written_at=written_at)
    return len(creates), len(updates)


def _companies_link(job: ImportJob, rows: list, *, actor, written_at) -> None:
    """"Company" cells: the company of that name the actor can see, else a new one
    (made by this import, so that undo removes it too)."""
    from django.db.models.functions import Lower

    names = {}
    for row in rows:
        if row.company_name:
            names.setdefault(row.company_name.lower(), row.company_name)
    if not names:
        return
    existing = {}
    queryset = visible(Company.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=list(names)), actor)
    for pk, lower_name in queryset.order_by("pk").values_list("pk", "lower_name"):
        existing.setdefault(lower_name, pk)
    missing = [key for key in names if key not in existing]
    new_ids = writing.records_create(Company, [{"name": names[key]} for key in missing], job_id=job.pk,
                                     actor_id=actor.pk, written_at=written_at)
    existing.update(zip(missing, new_ids, strict=True))
    for row in rows:
        if row.company_name:
            row.values["company_id"] = existing[row.company_name.lower()]


def import_job_retry_skipping(*, job: ImportJob, actor) -> ImportJob:
    """After an all-or-nothing import was refused for some rows that were not valid: a new
    import of the same file and mapping that skips them, queued at once. The file moves to
    the new job, so this works once; the refused job keeps its error report."""
    _require(actor)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not job.can_retry_skipping or not default_storage.exists(job.file_path):
            raise ImportStateError(_("This import cannot run again: upload the file once more."))
        retry = ImportJob.objects.create(
            entity=job.entity, mode=ImportJob.Mode.SKIP_INVALID, file_name=job.file_name, file_path=job.file_path,
            file_size=job.file_size, file_format=job.file_format, encoding=job.encoding, delimiter=job.delimiter,
            headers=job.headers, mapping=job.mapping, created_by=actor,
            language=translation.get_language() or job.language,
        )
        job.file_path = ""
        job.save(update_fields=["file_path", "updated_at"])
        return import_job_start(job=retry, actor=actor)


def import_job_undo(*, job: ImportJob, actor) -> ImportJob:
    """Undo a finished import in one transaction: delete the records it created, put
    back the previous values of those it updated. Records changed since the import are
    left as they are and listed in `undo_skipped`. A second undo is refused."""
    _require(actor)
    with transaction.atomic(), history_context(actor, "import_undo"):
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status == ImportJob.Status.UNDONE:
            raise ImportAlreadyUndone()
        if job.status != ImportJob.Status.DONE or job.written_at is None:
            raise ImportStateError(_("Only a finished import can be undone."))
        model = MODELS[job.entity]
        created = model.objects.filter(import_job_id=job.pk)
        changed = set(created.filter(updated_at__gt=job.written_at).values_list("pk", flat=True))
        snapshot_ids = set(ImportSnapshot.objects.filter(job=job).values_list("record_id", flat=True))
        still_there = dict(model.objects.filter(pk__in=snapshot_ids).values_list("pk", "updated_at"))
        changed |= {pk for pk, updated_at in still_there.items() if updated_at > job.written_at}
        changed |= snapshot_ids - set(still_there)  # deleted since: nothing to put back
        writing.records_restore(job.entity, model, job_id=job.pk,
                                ids=sorted(pk for pk in still_there if pk not in changed))
        writing.records_delete(created.exclude(pk__in=changed))
        if job.entity in ("contact", "deal"):
            writing.records_delete(Company.objects.filter(import_job_id=job.pk, updated_at__lte=job.written_at))
        ImportSnapshot.objects.filter(job=job).delete()
        job.status = ImportJob.Status.UNDONE
        job.undone_at = timezone.now()
        job.undone_by = actor
        job.undo_skipped = sorted(changed)
        job.save()
    return job


def import_snapshots_scrub(*, contact_id: int) -> None:
    """An erased contact's earlier values go from the undo snapshots too (GDPR)."""
    ImportSnapshot.objects.filter(job__entity="contact", record_id=contact_id).delete()
