"""Django's migrate for one schema, without replaying migrations that cannot touch it.

django-tenants runs every app's migrations in every schema and lets its router turn the
operations of the apps that do not live there into no-ops. The no-ops are not free:
Django still applies each operation to its in-memory model state, and once that state is
rendered every RemoveField or AlterField re-renders the model and everything related to
it. dj-stripe's migrations alone hold 541 field operations on models related to one
another, so a new tenant schema spent two minutes of its migrate re-rendering Stripe's
models that will never have a table in it.

Such a migration is recorded as applied instead, before migrate builds its plan: the
outcome is the one replaying it gives (no table, no row, no trigger; the same
django_migrations rows), and Django computes the state of recorded migrations without
rendering anything. Only a migration whose app the router refuses for this schema, and
whose parents are all applied or recorded the same way, is recorded, so the history
stays consistent for Django's check.
"""

from django.core.management.commands import migrate
from django.db import connections, router
from django.db.migrations.executor import MigrationExecutor


def refused_migrations_record(connection) -> list[tuple[str, str]]:
    """Record as applied, in this connection's schema, the unapplied migrations of apps the
    router keeps out of it; returns their keys in the order recorded."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    done = set(executor.loader.applied_migrations)
    refused = {}
    recorded = []
    for migration, _backwards in executor.migration_plan(graph.leaf_nodes(), clean_start=True):
        key = (migration.app_label, migration.name)
        if key in done:
            continue
        label = migration.app_label
        if label not in refused:
            refused[label] = router.allow_migrate(connection.alias, label) is False
        if not refused[label] or any(parent.key not in done for parent in graph.node_map[key].parents):
            continue
        executor.record_migration(migration)
        done.add(key)
        recorded.append(key)
    return recorded


class Command(migrate.Command):
    """TENANT_BASE_MIGRATE_COMMAND: what django-tenants runs in each schema."""

    def handle(self, *args, **options):
        whole_forward_run = not any(
            options.get(name) for name in ("app_label", "migration_name", "fake", "plan", "check_unapplied", "prune")
        )
        if whole_forward_run:
            recorded = refused_migrations_record(connections[options["database"]])
            if recorded and options["verbosity"] >= 1:
                self.stdout.write(f"  Recorded {len(recorded)} migration(s) of apps that have no tables in this "
                                  "schema as applied, without replaying them.")
        return super().handle(*args, **options)
