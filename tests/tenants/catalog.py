"""A schema's catalog as comparable data: what 'identical schemas' means in tests."""

import re

from django.db import connection


def check_expression(text: str) -> str:
    """A CHECK constraint's expression without its implicit casts and parentheses.

    PostgreSQL stores `scope IN ('a', 'b')` on a varchar column as
    `scope::text = ANY ((ARRAY['a'::varchar, 'b'::varchar])::text[])`, and the same
    definition read back from pg_dump as `ARRAY[('a'::varchar)::text, ...]`: one meaning,
    two spellings. Column types are compared separately, so the casts carry nothing here."""
    text = re.sub(r"::(?:character varying|text|integer|bigint|numeric)(?:\[\])?", "", text)
    return re.sub(r"[()\s]", "", text)


def schema_catalog(schema: str) -> dict:
    def norm(text):
        return re.sub(rf'(?<![\w"]){re.escape(schema)}\.|"{re.escape(schema)}"\.', "S.", text or "")

    with connection.cursor() as c:
        c.execute(
            """SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid=c.relnamespace
               WHERE n.nspname=%s ORDER BY 1""",
            [schema],
        )
        relations = c.fetchall()
        c.execute(
            """SELECT c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                      a.attidentity, a.attgenerated, pg_get_expr(d.adbin, d.adrelid), co.collname,
                      array_to_string(ARRAY(SELECT o FROM unnest(a.attoptions) o WHERE o NOT LIKE 'pg_attver=%%'), ',')
               FROM pg_attribute a JOIN pg_class c ON c.oid=a.attrelid JOIN pg_namespace n ON n.oid=c.relnamespace
               LEFT JOIN pg_attrdef d ON d.adrelid=a.attrelid AND d.adnum=a.attnum
               LEFT JOIN pg_collation co ON co.oid=a.attcollation AND a.attcollation <> 0
               WHERE n.nspname=%s AND a.attnum>0 AND NOT a.attisdropped AND c.relkind IN ('r','p','v','m')
               ORDER BY 1, 2""",
            [schema],
        )
        columns = [(*row[:7], norm(row[7]), *row[8:]) for row in c.fetchall()]
        c.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname=%s ORDER BY 1", [schema])
        indexes = [(name, norm(d)) for name, d in c.fetchall()]
        c.execute(
            """SELECT cl.relname, con.conname, con.contype, pg_get_constraintdef(con.oid), con.condeferrable, con.condeferred
               FROM pg_constraint con JOIN pg_class cl ON cl.oid=con.conrelid JOIN pg_namespace n ON n.oid=cl.relnamespace
               WHERE n.nspname=%s ORDER BY 1, 2""",
            [schema],
        )
        constraints = [
            (t, n, k, check_expression(norm(d)) if k == "c" else norm(d), a, b) for t, n, k, d, a, b in c.fetchall()
        ]
        c.execute(
            """SELECT cl.relname, t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class cl ON cl.oid=t.tgrelid
               JOIN pg_namespace n ON n.oid=cl.relnamespace WHERE n.nspname=%s AND NOT t.tgisinternal ORDER BY 1, 2""",
            [schema],
        )
        triggers = [(t, n, norm(d)) for t, n, d in c.fetchall()]
        c.execute(
            """SELECT s.relname, format_type(q.seqtypid, NULL), q.seqstart, q.seqincrement, q.seqmin, q.seqmax, q.seqcache,
                      q.seqcycle, owner.relname, a.attname, d.deptype
               FROM pg_sequence q JOIN pg_class s ON s.oid=q.seqrelid JOIN pg_namespace n ON n.oid=s.relnamespace
               LEFT JOIN pg_depend d ON d.objid=s.oid AND d.classid='pg_class'::regclass AND d.refclassid='pg_class'::regclass
               LEFT JOIN pg_class owner ON owner.oid=d.refobjid
               LEFT JOIN pg_attribute a ON a.attrelid=d.refobjid AND a.attnum=d.refobjsubid
               WHERE n.nspname=%s ORDER BY 1""",
            [schema],
        )
        sequences = c.fetchall()
        c.execute(
            """SELECT p.proname, pg_get_function_identity_arguments(p.oid), pg_get_functiondef(p.oid)
               FROM pg_proc p JOIN pg_namespace n ON n.oid=p.pronamespace WHERE n.nspname=%s ORDER BY 1, 2""",
            [schema],
        )
        functions = [(name, args, norm(d)) for name, args, d in c.fetchall()]
        c.execute(f'SELECT app, name FROM "{schema}".django_migrations ORDER BY app, name')
        migrations = c.fetchall()
    return {
        "relations": relations, "columns": columns, "indexes": indexes, "constraints": constraints,
        "triggers": triggers, "sequences": sequences, "functions": functions, "migrations": migrations,
    }
