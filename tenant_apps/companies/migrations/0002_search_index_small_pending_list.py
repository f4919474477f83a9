"""The search GIN index with a small pending list (256 kB instead of 4 MB).

With the default fastupdate set-up, new and changed rows go to an unsorted pending list
that every search reads in full until (auto)vacuum or the 4 MB limit merges it; after a
bulk load that was the whole index (478 pages for 50k deals), so a search for a prefix
that matches nothing read all of it, and the planner, costing those pages, scanned the
table instead (15 ms for "jo" over 50k deals; 0.03 ms once merged). Turning fastupdate off
fixes reads but makes bulk writes (imports) a third slower (100k rows: 1.9 s against 1.4 s
into a GIN-indexed table here). A 256 kB list keeps writes batched and bounds what a search
reads to a few dozen pages. The pending list left from before is merged here.
"""

import django.contrib.postgres.indexes
from django.db import migrations

INDEX = "company_search_idx"


class Migration(migrations.Migration):

    dependencies = [
        ("companies", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=[f"ALTER INDEX {INDEX} SET (gin_pending_list_limit = 256)",
                         f"SELECT gin_clean_pending_list('{INDEX}'::regclass)"],
                    reverse_sql=[f"ALTER INDEX {INDEX} RESET (gin_pending_list_limit)"],
                ),
            ],
            state_operations=[
                migrations.RemoveIndex(model_name="company", name=INDEX),
                migrations.AddIndex(
                    model_name="company",
                    index=django.contrib.postgres.indexes.GinIndex(
                        gin_pending_list_limit=256, fields=["search"], name=INDEX
                    ),
                ),
            ],
        ),
    ]
