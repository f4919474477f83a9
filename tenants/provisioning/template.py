"""The template schema: a migrated, empty tenant schema that new schemas are cloned from.

`migrate_schemas` keeps it current like any tenant. A snapshot of its DDL is taken with
pg_dump once per migration state (the fingerprint of its django_migrations rows) and
stored in TemplateSnapshot, so cloning is a replay of plain SQL: no catalog walking and
no Django migration machinery at signup time.
"""

import re

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from ..errors import TemplateMissing
from ..models import TemplateSnapshot
from ..postgres import pg_dump_schema, quote_ident, schema_exists, sql_lines_outside_bodies


def template_schema_name() -> str:
    return settings.TENANT_BASE_SCHEMA


def template_fingerprint() -> str | None:
    """md5 of the template's applied migrations, or None if there is no template."""
    name = template_schema_name()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{quote_ident(name)}.django_migrations"])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(
            f"SELECT md5(string_agg(app || '.' || name, ',' ORDER BY app, name)) "
            f"FROM {quote_ident(name)}.django_migrations"
        )
        return cursor.fetchone()[0]


def template_ensure(*, verbosity: int = 0) -> None:
    """Create the template schema if it is missing and bring it up to date."""
    name = template_schema_name()
    if not schema_exists(name):
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {quote_ident(name)}")
    call_command("migrate_schemas", schema_name=name, tenant=True, interactive=False, verbosity=verbosity)
    connection.set_schema_to_public()


_NOISE = re.compile(r"^(--|SET |SELECT pg_catalog\.set_config\(|\\)")
# Some PostgreSQL builds stamp a server-managed `pg_attver` option on every column when it
# is created and ignore attempts to set it; replaying those stamps would only cost time.
_ATTVER = re.compile(r",?\s*pg_attver=\d+")
_EMPTY_SET = re.compile(r"^ALTER TABLE ONLY \S+ ALTER COLUMN \S+ SET \(\s*\);$")


def _clean_ddl(ddl: str, schema: str) -> str:
    """Drop session settings, comments, psql meta-commands and the CREATE SCHEMA line."""
    create_schema = f"CREATE SCHEMA {schema};"
    lines = []
    for line, outside in sql_lines_outside_bodies(ddl):
        if not outside:
            lines.append(line)
            continue
        if _NOISE.match(line) or line.strip() == create_schema or not line.strip():
            continue
        if "pg_attver=" in line:
            line = _ATTVER.sub("", line).replace("SET (,", "SET (")
            if _EMPTY_SET.match(line.strip()):
                continue
        lines.append(line)
    return "\n".join(lines) + "\n"


def _data_tables(schema: str) -> list[dict]:
    """Tables of the template that hold rows, with insertable and identity columns."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname
            """,
            [schema],
        )
        tables = [row[0] for row in cursor.fetchall()]
        result = []
        for table in tables:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote_ident(schema)}.{quote_ident(table)})")
            if not cursor.fetchone()[0]:
                continue
            cursor.execute(
                """
                SELECT a.attname, a.attidentity <> '' FROM pg_attribute a
                WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped
                  AND a.attgenerated = '' ORDER BY a.attnum
                """,
                [f"{quote_ident(schema)}.{quote_ident(table)}"],
            )
            columns = cursor.fetchall()
            result.append(
                {
                    "table": table,
                    "columns": [name for name, _identity in columns],
                    "identity": [name for name, identity in columns if identity],
                }
            )
        return result


def template_snapshot() -> TemplateSnapshot:
    """The DDL snapshot for the template's current migration state (taken if missing)."""
    fingerprint = template_fingerprint()
    if fingerprint is None:
        raise TemplateMissing()
    snapshot = TemplateSnapshot.objects.filter(fingerprint=fingerprint).first()
    if snapshot is not None:
        return snapshot
    name = template_schema_name()
    ddl = _clean_ddl(pg_dump_schema(name, schema_only=True), name)
    snapshot, _created = TemplateSnapshot.objects.get_or_create(
        fingerprint=fingerprint, defaults={"ddl": ddl, "data_tables": _data_tables(name)}
    )
    TemplateSnapshot.objects.exclude(pk=snapshot.pk).delete()
    return snapshot
