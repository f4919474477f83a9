"""tenants.migrate: migrations of apps that have no tables in a schema are recorded there,
not replayed, and only when their history stays consistent."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from tenants.migrate import refused_migrations_record

PROBE = "t_migrate_probe"


def _tenant_labels() -> set[str]:
    return {config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS}


@pytest.fixture
def empty_schema(db):
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {PROBE}")
    connection.set_schema(PROBE, include_public=False)
    MigrationRecorder(connection).ensure_schema()
    connection.set_schema(PROBE)
    yield PROBE
    connection.set_schema_to_public()


def test_a_new_tenant_schema_records_every_shared_only_migration_and_nothing_else(empty_schema):
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    tenant_labels = _tenant_labels()
    shared_only = {key for key in graph.nodes if key[0] not in tenant_labels}
    assert ("djstripe", "0001_initial") in shared_only and ("contacts", "0001_initial") not in shared_only

    recorded = refused_migrations_record(connection)

    assert set(recorded) == shared_only
    assert len(recorded) == len(set(recorded))
    assert set(MigrationRecorder(connection).applied_migrations()) == shared_only
    # Parents come first: the history Django checks before migrating is consistent.
    position = {key: i for i, key in enumerate(recorded)}
    for key in recorded:
        assert all(position[parent.key] < position[key] for parent in graph.node_map[key].parents)
    MigrationLoader(connection).check_consistent_history(connection)
    # Nothing is recorded twice, and no table of a shared app was made here.
    assert refused_migrations_record(connection) == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = %s AND tablename <> 'django_migrations'",
                       [PROBE])
        assert cursor.fetchone()[0] == 0


def test_a_migration_waiting_for_an_unapplied_parent_is_left_to_migrate(empty_schema, monkeypatch):
    """A shared app's migration that depends on a migration still to run here (of an app
    that has tables here) is not recorded ahead of it."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    tenant_labels = _tenant_labels()
    waiting = next(key for key in graph.nodes if key[0] not in tenant_labels and graph.node_map[key].parents)
    parent = next(iter(graph.node_map[waiting].parents)).key
    from django.db import router

    real = router.allow_migrate

    def allow(db, app_label, **hints):
        # The parent's app counts as having tables here for this run.
        return None if app_label == parent[0] else real(db, app_label, **hints)

    monkeypatch.setattr(router, "allow_migrate", allow)
    recorded = refused_migrations_record(connection)
    assert waiting not in recorded and parent not in recorded
    MigrationLoader(connection).check_consistent_history(connection)


def test_the_public_schema_has_nothing_left_to_record(db):
    connection.set_schema_to_public()
    assert refused_migrations_record(connection) == []
