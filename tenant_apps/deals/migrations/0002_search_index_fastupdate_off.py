"""The search GIN index without a pending list (fastupdate off).

With fastupdate on, new and changed rows go to an unsorted pending list that every search
reads in full until (auto)vacuum or the 4 MB limit merges it; after a bulk load that was
the whole index (478 pages for 50k deals), so a search for a prefix that matches nothing
read all of it, and the planner, costing those pages, scanned the table instead (15 ms for
"jo" over 50k deals; 0.03 ms after). Writes now update the index directly (a little slower
per row), and the pending list left from before is merged here.
"""

import django.contrib.postgres.indexes
from django.db import migrations

INDEX = "deal_search_idx"


class Migration(migrations.Migration):

    dependencies = [
        ("deals", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=[f"ALTER INDEX {INDEX} SET (fastupdate = off)",
                         f"SELECT gin_clean_pending_list('{INDEX}'::regclass)"],
                    reverse_sql=[f"ALTER INDEX {INDEX} SET (fastupdate = on)"],
                ),
            ],
            state_operations=[
                migrations.RemoveIndex(model_name="deal", name=INDEX),
                migrations.AddIndex(
                    model_name="deal",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fastupdate=False, fields=["search"], name=INDEX
                    ),
                ),
            ],
        ),
    ]
