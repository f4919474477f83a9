"""Trigram indexes for the similar-name fallback of global search, made only where the
pg_trgm extension is installed (in the public schema); elsewhere this does nothing and
search is full-text only. Not in the models' Meta: an index there cannot be optional."""

from django.db import migrations

INDEXES = (
    ("contact_first_name_trgm_idx", "contacts_contact", "first_name"),
    ("contact_last_name_trgm_idx", "contacts_contact", "last_name"),
    ("company_name_trgm_idx", "companies_company", "name"),
    ("deal_title_trgm_idx", "deals_deal", "title"),
)


def _trigram_installed(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'pg_trgm' AND n.nspname = 'public')"
        )
        return bool(cursor.fetchone()[0])


def trigram_indexes_create(apps, schema_editor):
    if not _trigram_installed(schema_editor.connection):
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}" public.gin_trgm_ops)'
        )


def trigram_indexes_drop(apps, schema_editor):
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0001_initial"),
        ("companies", "0001_initial"),
        ("deals", "0001_initial"),
    ]

    operations = [migrations.RunPython(trigram_indexes_create, trigram_indexes_drop, elidable=False)]
