"""Clone the template schema into a new schema by replaying its DDL snapshot.

django-tenants' clone_schema() walks the catalog in PL/pgSQL and then fakes every
migration through Django's migrate command, which together take seconds (FACTS.md:
2.8 s median). Replaying a stored pg_dump of the template takes tens of milliseconds and
gives the same catalog; tests/tenants/test_provisioning.py compares the two.
"""

import re

from django.db import connection, transaction

from ..postgres import quote_ident
from .template import template_schema_name, template_snapshot

_SAFE_SCHEMA = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def schema_clone(target: str) -> None:
    """Create schema `target` as a copy of the template (tables, indexes, constraints,
    sequences, triggers, functions and the template's rows). Runs in the caller's
    transaction, so a failure leaves nothing behind."""
    if not _SAFE_SCHEMA.match(target):
        raise ValueError(f"Unsafe schema name: {target!r}")
    snapshot = template_snapshot()
    source = template_schema_name()
    qualifier = re.compile(rf"(?<![\w\"]){re.escape(source)}\.")
    ddl = qualifier.sub(f"{target}.", snapshot.ddl)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {quote_ident(target)}")
        cursor.execute("SET LOCAL check_function_bodies = false")
        cursor.execute(ddl)
        for table in snapshot.data_tables:
            columns = ", ".join(quote_ident(c) for c in table["columns"])
            name = quote_ident(table["table"])
            cursor.execute(
                f"INSERT INTO {quote_ident(target)}.{name} ({columns}) OVERRIDING SYSTEM VALUE "
                f"SELECT {columns} FROM {quote_ident(source)}.{name}"
            )
            for column in table["identity"]:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), m, true) "
                    f"FROM (SELECT max({quote_ident(column)}) AS m FROM {quote_ident(target)}.{name}) s "
                    f"WHERE m IS NOT NULL",
                    [f"{quote_ident(target)}.{name}", column],
                )
