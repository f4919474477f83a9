"""Writing an import in bulk: COPY for new records and their e-mail addresses and
phone numbers, UPDATE ... FROM a temporary table for existing ones (after a snapshot of
each for undo). Row triggers (django-pghistory) still record every insert and update."""

from contextlib import contextmanager

from django.db import connection
from psycopg.types.json import Jsonb

from tenant_apps.contacts.models import ContactEmail, ContactPhone

from .cleaning import CleanRow


def _insert_trigger(model):
    """The model's django-pghistory insert trigger, or None if inserts are not tracked."""
    for trigger in getattr(model._meta, "triggers", ()):
        if getattr(trigger, "operation", None) is not None and str(trigger.operation).upper() == "INSERT" \
                and getattr(trigger, "event_model", None) is not None:
            return trigger
    return None


@contextmanager
def insert_events_in_bulk(model, where: str, params: list):
    """Write a COPY's history insert events in one statement instead of a trigger per row.

    Inside the block the model's insert trigger is skipped (pgtrigger.ignore, local to the
    transaction); on leaving it, the rows `where` selects get exactly the events the
    trigger writes: every tracked column, label "insert", the current history context
    (the import's door and actor) and NOW(). A per-row trigger costs a plpgsql call with
    two subtransactions and an upsert of the context for every row."""
    trigger = _insert_trigger(model)
    if trigger is None or getattr(trigger, "condition", None) is not None:
        yield  # not tracked, or only some inserts are: the trigger decides per row
        return
    pgid = trigger.get_pgid(model)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", ["{%s:%s,%s}" % (table, pgid, pgid)])
    yield  # (on an error, the transaction is rolled back: nothing to record or reset)
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pgtrigger.ignore', '{}', true)")
    event_model = trigger.event_model
    tracked = [f.column for f in event_model._meta.concrete_fields if not f.name.startswith("pgh_")]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH context AS (SELECT _pgh_attach_context() AS id) "
            f"INSERT INTO {_qn(event_model._meta.db_table)} ({', '.join(_qn(c) for c in tracked)}, "
            "pgh_context_id, pgh_created_at, pgh_label, pgh_obj_id) "
            f"SELECT {', '.join('r.' + _qn(c) for c in tracked)}, context.id, NOW(), %s, r.{_qn(model._meta.pk.column)} "
            f"FROM {_qn(table)} r CROSS JOIN context WHERE {where}",
            [trigger.label, *params],
        )


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _writable_fields(model):
    return [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]


def _adapt(model_field, value):
    if model_field.get_internal_type() == "JSONField":
        return Jsonb(value)
    return value


def copy_rows(model, columns: list[str], rows) -> None:
    """COPY `rows` (sequences in `columns` order) into the model's table."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    # Only JSON values need wrapping; finding which per value (a method call each) cost
    # more than the rest of writing a row.
    json_at = [i for i, c in enumerate(columns) if c in fields and fields[c].get_internal_type() == "JSONField"]
    sql = f"COPY {_qn(model._meta.db_table)} ({', '.join(_qn(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        write = copy.write_row
        if not json_at:
            for row in rows:
                write(row)
            return
        for row in rows:
            row = list(row)
            for i in json_at:
                # An empty object (a new record's custom values, as a rule) as its text:
                # json.dumps per row cost more than the rest of the row's adapting.
                row[i] = "{}" if row[i] == {} else Jsonb(row[i])
            write(row)


def records_create(model, records: list[dict], *, job_id: int, actor_id, written_at, with_ids: bool = False) -> list[int]:
    """Insert `records` (attname -> value) with the model's defaults for the rest; the
    new ids in the same order (COPY keeps the order; ids come from the sequence, or from
    each record's "id" when `with_ids`)."""
    if not records:
        return []
    fields = _writable_fields(model)
    base = {f.attname: f.get_default() for f in fields}
    base.update(owner_id=actor_id, created_by_id=actor_id, created_at=written_at, updated_at=written_at,
                import_job_id=job_id, id=None)
    columns = (["id"] if with_ids else []) + [f.attname for f in fields]
    with insert_events_in_bulk(model, "r.import_job_id = %s", [job_id]):
        copy_rows(model, columns, ([record.get(c, base[c]) for c in columns] for record in records))
    return list(model.objects.filter(import_job_id=job_id).order_by("pk").values_list("pk", flat=True))


def contact_lists_create(contact_ids: list[int], rows: list[CleanRow]) -> None:
    """The new contacts' addresses and numbers (they have no others yet)."""
    with insert_events_in_bulk(ContactEmail, "r.contact_id = ANY(%s)", [contact_ids]):
        copy_rows(ContactEmail, ["contact_id", "email", "label", "is_primary"],
                  ((cid, e["email"], e["label"], e["is_primary"]) for cid, row in zip(contact_ids, rows, strict=True)
                   for e in row.emails))
    with insert_events_in_bulk(ContactPhone, "r.contact_id = ANY(%s)", [contact_ids]):
        copy_rows(ContactPhone, ["contact_id", "number", "label", "is_primary"],
                  ((cid, p["number"], p["label"], p["is_primary"]) for cid, row in zip(contact_ids, rows, strict=True)
                   for p in row.phones))


def contacts_by_email(emails: list[str]) -> dict[str, tuple[int, dict]]:
    """Existing contacts by any of their addresses (lower-case): email -> (id, custom).
    One array parameter rather than 100k placeholders; served by contactemail_unique,
    which leads with lower(email)."""
    if not emails:
        return {}
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lower(e.email), e.contact_id, c.custom FROM contacts_contactemail e "
            "JOIN contacts_contact c ON c.id = e.contact_id WHERE lower(e.email) = ANY(%s) ORDER BY e.contact_id",
            [list(emails)],
        )
        for email, contact_id, custom in cursor.fetchall():
            found.setdefault(email, (contact_id, _json(custom)))
    return found


def _json(value) -> dict:
    import json

    if isinstance(value, str):
        return json.loads(value)
    return value or {}


def companies_by_key(domains: list[str], names: list[str]) -> tuple[dict, dict]:
    """Existing companies: domain -> (id, custom), lower(name) -> (id, custom)."""
    by_domain, by_name = {}, {}
    with connection.cursor() as cursor:
        if domains:
            cursor.execute("SELECT id, domain, custom FROM companies_company WHERE domain = ANY(%s) ORDER BY id",
                           [list(domains)])
            for pk, domain, custom in cursor.fetchall():
                by_domain.setdefault(domain, (pk, _json(custom)))
        if names:
            cursor.execute("SELECT id, lower(name), custom FROM companies_company WHERE lower(name) = ANY(%s) "
                           "ORDER BY id", [list(names)])
            for pk, name, custom in cursor.fetchall():
                by_name.setdefault(name, (pk, _json(custom)))
    return by_domain, by_name


SNAPSHOT_SQL = {
    "contact": """
        INSERT INTO imports_importsnapshot (job_id, record_id, data)
        SELECT %s, c.id, (to_jsonb(c) - 'search') || jsonb_build_object(
            'tags', COALESCE((SELECT jsonb_agg(t.tag_id) FROM contacts_contact_tags t WHERE t.contact_id = c.id), '[]'),
            'emails', COALESCE((SELECT jsonb_agg(to_jsonb(e)) FROM contacts_contactemail e WHERE e.contact_id = c.id), '[]'),
            'phones', COALESCE((SELECT jsonb_agg(to_jsonb(p)) FROM contacts_contactphone p WHERE p.contact_id = c.id), '[]'))
        FROM contacts_contact c WHERE c.id = ANY(%s)""",
    "company": """
        INSERT INTO imports_importsnapshot (job_id, record_id, data)
        SELECT %s, c.id, (to_jsonb(c) - 'search') || jsonb_build_object(
            'tags', COALESCE((SELECT jsonb_agg(t.tag_id) FROM companies_company_tags t WHERE t.company_id = c.id), '[]'))
        FROM companies_company c WHERE c.id = ANY(%s)""",
}


def records_snapshot(entity: str, *, job_id: int, ids: list[int]) -> None:
    """Keep each record as it is now (row, tags, a contact's addresses and numbers), so
    that undo can put it back."""
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(SNAPSHOT_SQL[entity], [job_id, ids])


def records_update(entity: str, model, updates: list[tuple[int, dict]], *, job_id: int, written_at) -> None:
    """Set the given values (attname -> value; a record keeps what a row leaves empty)
    through a temporary table in one UPDATE."""
    if not updates:
        return
    columns = sorted({name for _pk, values in updates for name in values})
    table = model._meta.db_table
    temp = f"import_update_{job_id}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(
            f"CREATE TEMP TABLE {temp} ON COMMIT DROP AS SELECT id, {', '.join(_qn(c) for c in columns)} "
            f"FROM {_qn(table)} WITH NO DATA"
        )
    copy_rows_to(temp, model, ["id", *columns], ([pk, *(values.get(c) for c in columns)] for pk, values in updates))
    assignments = ", ".join(f"{_qn(c)} = COALESCE(t.{_qn(c)}, r.{_qn(c)})" for c in columns)
    # A record the row does not change is not written (nor its updated_at moved).
    new_values = ", ".join(f"COALESCE(t.{_qn(c)}, r.{_qn(c)})" for c in columns)
    old_values = ", ".join(f"r.{_qn(c)}" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_qn(table)} r SET {assignments}, updated_at = %s FROM {temp} t WHERE r.id = t.id "
            f"AND ROW({new_values}) IS DISTINCT FROM ROW({old_values})", [written_at]
        )


def copy_rows_to(table: str, model, columns: list[str], rows) -> None:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    adapters = [fields.get(c) for c in columns]
    sql = f"COPY {table} ({', '.join(_qn(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([_adapt(f, v) if f is not None and v is not None else v for f, v in zip(adapters, row, strict=True)])


def contact_lists_add(updates: list[tuple[int, CleanRow]], *, job_id: int) -> None:
    """Add the file's addresses and numbers that updated contacts do not have yet; a
    contact without a phone gets the first new one as its primary number."""
    temp = f"import_lists_{job_id}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(f"CREATE TEMP TABLE {temp} (contact_id bigint, kind text, value text, label text, ord int) ON COMMIT DROP")
    rows = []
    for pk, row in updates:
        rows.extend((pk, "email", e["email"], e["label"], i) for i, e in enumerate(row.emails))
        rows.extend((pk, "phone", p["number"], p["label"], i) for i, p in enumerate(row.phones))
    if not rows:
        return
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {temp} (contact_id, kind, value, label, ord) FROM STDIN") as copy:
            for item in rows:
                copy.write_row(item)
        cursor.execute(f"""
            INSERT INTO contacts_contactemail (contact_id, email, label, is_primary)
            SELECT t.contact_id, t.value, t.label, false FROM {temp} t
            WHERE t.kind = 'email' AND NOT EXISTS (
                SELECT 1 FROM contacts_contactemail e WHERE e.contact_id = t.contact_id AND lower(e.email) = t.value)
            ON CONFLICT DO NOTHING""")
        cursor.execute(f"""
            INSERT INTO contacts_contactphone (contact_id, number, label, is_primary)
            SELECT t.contact_id, t.value, t.label,
                   t.ord = 0 AND NOT EXISTS (SELECT 1 FROM contacts_contactphone p WHERE p.contact_id = t.contact_id)
            FROM {temp} t
            WHERE t.kind = 'phone' AND NOT EXISTS (
                SELECT 1 FROM contacts_contactphone p WHERE p.contact_id = t.contact_id AND p.number = t.value)
            ON CONFLICT DO NOTHING""")
        # The primary columns follow the lists (the update set them from the file); rows
        # that already show them are not written again.
        cursor.execute(f"""
            UPDATE contacts_contact c SET email = n.email, phone = n.phone
            FROM (SELECT c2.id,
                    COALESCE((SELECT e.email FROM contacts_contactemail e WHERE e.contact_id = c2.id AND e.is_primary), '') AS email,
                    COALESCE((SELECT p.number FROM contacts_contactphone p WHERE p.contact_id = c2.id AND p.is_primary), '') AS phone
                  FROM contacts_contact c2 WHERE c2.id IN (SELECT DISTINCT contact_id FROM {temp})) n
            WHERE c.id = n.id AND (c.email, c.phone) IS DISTINCT FROM (n.email, n.phone)""")


def records_restore(entity: str, model, *, job_id: int, ids: list[int]) -> None:
    """Put the snapshot taken before the import back on records `ids` (every column,
    and a contact's addresses and numbers). Only what differs from the snapshot is
    written: a record, tag, address or number the import left as it was stays untouched
    (no rewrite, no history entry)."""
    if not ids:
        return
    table = _qn(model._meta.db_table)
    fields = _writable_fields(model)
    columns = ", ".join(_qn(f.column) for f in fields)
    values = ", ".join(f"p.{_qn(f.column)}" for f in fields)
    current = ", ".join(f"r.{_qn(f.column)}" for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} r SET ({columns}) = ({values}) FROM imports_importsnapshot s "
            f"CROSS JOIN LATERAL jsonb_populate_record(NULL::{table}, s.data) p "
            f"WHERE s.job_id = %s AND s.record_id = r.id AND r.id = ANY(%s) AND ROW({current}) IS DISTINCT FROM ROW({values})",
            [job_id, ids],
        )
        through = model.tags.through
        tags_table = _qn(through._meta.db_table)
        record_column = _qn(through._meta.get_field(model._meta.model_name).column)
        snapshot_tags = (
            f"SELECT s.record_id, t.value::bigint AS tag_id FROM imports_importsnapshot s "
            "CROSS JOIN LATERAL jsonb_array_elements_text(s.data->'tags') t WHERE s.job_id = %s AND s.record_id = ANY(%s)"
        )
        cursor.execute(
            f"DELETE FROM {tags_table} x WHERE x.{record_column} = ANY(%s) AND NOT EXISTS ("
            f"SELECT 1 FROM ({snapshot_tags}) k WHERE k.record_id = x.{record_column} AND k.tag_id = x.tag_id)",
            [ids, job_id, ids],
        )
        cursor.execute(
            f"INSERT INTO {tags_table} ({record_column}, tag_id) SELECT k.record_id, k.tag_id FROM ({snapshot_tags}) k "
            "ON CONFLICT DO NOTHING",
            [job_id, ids],
        )
        if entity != "contact":
            return
        for kind, list_table in (("emails", "contacts_contactemail"), ("phones", "contacts_contactphone")):
            snapshot_rows = (
                f"SELECT p.* FROM imports_importsnapshot s "
                f"CROSS JOIN LATERAL jsonb_populate_recordset(NULL::{list_table}, s.data->'{kind}') p "
                "WHERE s.job_id = %s AND s.record_id = ANY(%s)"
            )
            cursor.execute(
                f"DELETE FROM {list_table} x WHERE x.contact_id = ANY(%s) AND NOT EXISTS ("
                f"SELECT 1 FROM ({snapshot_rows}) p WHERE p.id = x.id AND ROW(p.*) IS NOT DISTINCT FROM ROW(x.*))",
                [ids, job_id, ids],
            )
            cursor.execute(
                f"INSERT INTO {list_table} SELECT p.* FROM ({snapshot_rows}) p "
                f"WHERE NOT EXISTS (SELECT 1 FROM {list_table} x WHERE x.id = p.id)",
                [job_id, ids],
            )


def tags_add(model, pairs: list[tuple[int, list[str]]]) -> None:
    """Give records (id, tag names) those tags as well (found or made by name)."""
    from tenant_apps.records.tags import MAX_TAG_LENGTH, tags_for_names

    names = [name for _pk, tags in pairs for name in tags]
    if not names:
        return
    by_name = {tag.name.lower(): tag.pk for tag in tags_for_names(names)}
    record_ids, tag_ids = [], []
    for pk, tags in pairs:
        for name in {" ".join(str(n).split())[:MAX_TAG_LENGTH].lower() for n in tags} - {""}:
            record_ids.append(pk)
            tag_ids.append(by_name[name])
    through = model.tags.through
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_qn(through._meta.db_table)} ({_qn(through._meta.get_field(model._meta.model_name).column)}, "
            "tag_id) SELECT * FROM unnest(%s::bigint[], %s::bigint[]) ON CONFLICT DO NOTHING",
            [record_ids, tag_ids],
        )


def deals_place(rows: list[CleanRow], *, written_at) -> None:
    """New deals go to the end of their stage's column, in file order, open."""
    from django.db.models import Max

    from tenant_apps.deals.models import Deal, DealStatus
    from tenant_apps.deals.services import POSITION_STEP

    ends = dict(Deal.objects.filter(status=DealStatus.OPEN).values("stage_id").annotate(m=Max("position"))
                .values_list("stage_id", "m"))
    for row in rows:
        stage_id = row.values["stage_id"]
        ends[stage_id] = (ends.get(stage_id) or 0) + POSITION_STEP
        row.values.update(position=ends[stage_id], status=DealStatus.OPEN, stage_entered_at=written_at)


def deals_extras_create(deal_ids: list[int], rows: list[CleanRow], *, actor_id, written_at) -> None:
    """Each new deal's first stage change (into its stage) and its contacts."""
    from tenant_apps.deals.models import Deal, DealStageChange

    copy_rows(DealStageChange, ["deal_id", "to_stage_id", "changed_at", "changed_by_id"],
              ((pk, row.values["stage_id"], written_at, actor_id) for pk, row in zip(deal_ids, rows, strict=True)))
    pairs = [(pk, contact_id) for pk, row in zip(deal_ids, rows, strict=True) for contact_id in row.contact_ids]
    if pairs:
        through = Deal.contacts.through
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {_qn(through._meta.db_table)} (deal_id, contact_id) "
                "SELECT * FROM unnest(%s::bigint[], %s::bigint[]) ON CONFLICT DO NOTHING",
                [[p[0] for p in pairs], [p[1] for p in pairs]],
            )


def _delete_plan(model, seen=None):
    """How deleting `model` rows reaches other tables, or None when some relation is one
    records_delete does not handle (then Django's delete is used)."""
    from django.db import models

    seen = set() if seen is None else seen
    if model in seen:
        return None
    seen = seen | {model}
    plan = {"cascade": [], "set_null": [], "through": []}
    for relation in model._meta.related_objects:
        if relation.many_to_many:
            through = relation.through
            if not through._meta.auto_created:
                return None
            plan["through"].append((through._meta.db_table, relation.field.m2m_reverse_name()))
            continue
        on_delete = relation.on_delete
        if on_delete is models.DO_NOTHING:
            continue
        column = relation.field.column
        if on_delete is models.CASCADE:
            child = _delete_plan(relation.related_model, seen)
            if child is None:
                return None
            plan["cascade"].append((relation.related_model, column, child))
        elif on_delete is models.SET_NULL:
            plan["set_null"].append((relation.related_model._meta.db_table, column))
        else:
            return None
    for m2m in model._meta.local_many_to_many:
        through = m2m.remote_field.through
        if not through._meta.auto_created:
            return None
        plan["through"].append((through._meta.db_table, m2m.m2m_column_name()))
    return plan


def _delete_by_plan(cursor, model, plan, ids: list[int]) -> None:
    for table, column in plan["through"]:
        cursor.execute(f"DELETE FROM {_qn(table)} WHERE {_qn(column)} = ANY(%s)", [ids])
    for table, column in plan["set_null"]:
        cursor.execute(f"UPDATE {_qn(table)} SET {_qn(column)} = NULL WHERE {_qn(column)} = ANY(%s)", [ids])
    for child, column, child_plan in plan["cascade"]:
        child_table = _qn(child._meta.db_table)
        if any(child_plan.values()):
            cursor.execute(f"SELECT {_qn(child._meta.pk.column)} FROM {child_table} WHERE {_qn(column)} = ANY(%s)",
                           [ids])
            child_ids = [pk for (pk,) in cursor.fetchall()]
            if child_ids:
                _delete_by_plan(cursor, child, child_plan, child_ids)
        else:
            cursor.execute(f"DELETE FROM {child_table} WHERE {_qn(column)} = ANY(%s)", [ids])
    cursor.execute(f"DELETE FROM {_qn(model._meta.db_table)} WHERE {_qn(model._meta.pk.column)} = ANY(%s)", [ids])


def records_delete(queryset) -> None:
    """Delete the queryset's records with what Django's delete would delete or clear
    along with them (CASCADE, SET_NULL, many-to-many rows), in one statement per table.

    Django's own delete sends post_delete for every object (django-tenants listens to all
    models), so it loads each record and deletes in batches of 100: minutes for a large
    import's undo. Records here have no delete signal of their own; a relation this does
    not handle (PROTECT, RESTRICT, a custom through model) falls back to Django's delete."""
    model = queryset.model
    plan = _delete_plan(model)
    if plan is None:
        queryset.delete()
        return
    ids = list(queryset.values_list("pk", flat=True))
    if ids:
        with connection.cursor() as cursor:
            _delete_by_plan(cursor, model, plan, ids)
