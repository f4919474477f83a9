"""tenant_provision: pool, clone and migrations give the same schema; bad input; hooks."""

import pytest
from django.db import connection

from shared_apps.accounts.models import Membership
from tenants.errors import SlugInvalid, SlugTaken, TemplateMissing
from tenants.models import SpareSchema, Tenant
from tenants.postgres import schema_exists
from tenants.provisioning.pool import spare_claim, spare_pool_refill
from tenants.provisioning.template import template_fingerprint
from tenants.services import tenant_provision
from tests.tenants.catalog import schema_catalog


@pytest.mark.django_db
class TestIdenticalSchemas:
    def test_pool_clone_and_migrations_give_identical_schemas_and_data(self, owner):
        """One migrated schema (the slow way, minutes on a busy machine) is the reference for
        all the others: the template, a clone and a claimed spare have the same catalog, and
        every way runs the default-data hooks. The migrated one is made the way a missing
        template makes it: provisioning falls back to migrations, and a forced clone refuses."""
        from tenant_apps.workspace.models import WorkspaceProfile
        from themes.models import Branding

        by_clone = tenant_provision(slug="by-clone", name="Hooks Inc", owner=owner, method="clone")
        spare_pool_refill(size=1)
        by_pool = tenant_provision(slug="by-pool", name="Hooks Inc", owner=owner, method="pool")
        with connection.cursor() as cursor:
            cursor.execute("ALTER SCHEMA tessera_template RENAME TO tessera_template_away")
        try:
            assert template_fingerprint() is None
            by_migrations = tenant_provision(slug="by-migrations", name="Hooks Inc", owner=owner)
            with pytest.raises(TemplateMissing):
                tenant_provision(slug="forced-clone", name="x", owner=owner, method="clone")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ALTER SCHEMA tessera_template_away RENAME TO tessera_template")
        assert (by_clone.provisioned_by, by_migrations.provisioned_by, by_pool.provisioned_by) == ("clone", "migrate", "pool")
        reference = schema_catalog(by_migrations.schema_name)
        assert reference["relations"] and reference["indexes"] and reference["constraints"] and reference["sequences"]
        assert schema_catalog("tessera_template") == reference
        for other in (by_clone, by_pool):
            catalog = schema_catalog(other.schema_name)
            for part in reference:
                assert catalog[part] == reference[part], part
        for tenant in (by_clone, by_migrations, by_pool):
            connection.set_tenant(tenant)
            assert WorkspaceProfile.objects.get().legal_name == "Hooks Inc"
            assert Branding.objects.count() == 1
            connection.set_schema_to_public()


@pytest.mark.django_db
class TestProvisioning:
    def test_rows_and_owner(self, owner):
        tenant = tenant_provision(slug="new-co", name="  New Co ", owner=owner)
        assert tenant.schema_name == "t_new_co" and tenant.name == "New Co" and tenant.is_ready
        assert Membership.objects.get(tenant=tenant).role == "owner"
        assert sorted(tenant.domains.values_list("domain", "surface", "is_primary", "is_verified")) == [
            ("new-co.localhost", "app", True, True),
            ("new-co.portal.localhost", "portal", True, True),
        ]

    def test_default_prefers_the_pool_then_the_clone(self, owner):
        assert tenant_provision(slug="no-spare", name="x", owner=owner).provisioned_by == "clone"
        spare_pool_refill(size=1)
        assert tenant_provision(slug="spare", name="x", owner=owner).provisioned_by == "pool"
        assert not SpareSchema.objects.exists()

    def test_stale_spares_are_never_claimed(self, owner):
        spare_pool_refill(size=1)
        SpareSchema.objects.update(fingerprint="old")
        assert spare_claim(target="t_whatever") is False
        spare_pool_refill(size=1)
        assert SpareSchema.objects.get().fingerprint == template_fingerprint()
        assert not schema_exists("t_whatever")

    @pytest.mark.parametrize("slug", ["no", "UPPER CASE", "under_score", "-lead", "trail-", "www", "console", "a" * 41])
    def test_bad_slugs_leave_nothing_behind(self, owner, slug):
        count = Tenant.objects.count()
        with pytest.raises(SlugInvalid):
            tenant_provision(slug=slug, name="x", owner=owner)
        assert Tenant.objects.count() == count

    def test_taken_slug_and_orphan_schema(self, owner):
        with pytest.raises(SlugTaken):
            tenant_provision(slug="acme", name="x", owner=owner)
        with connection.cursor() as cursor:
            cursor.execute("CREATE SCHEMA t_orphan")
        with pytest.raises(SlugTaken):
            tenant_provision(slug="orphan", name="x", owner=owner)

    def test_a_failing_hook_leaves_nothing_behind(self, owner, monkeypatch):
        from tenants.provisioning import hooks

        def broken(*, tenant, owner):
            raise RuntimeError("boom")

        monkeypatch.setitem(hooks._hooks, "broken", broken)
        # The slow way's failure outside a transaction is TestMigrationsOutsideATransaction's.
        for method in ("clone", "pool"):
            if method == "pool":
                spare_pool_refill(size=1)
            with pytest.raises(RuntimeError):
                tenant_provision(slug=f"broken-{method}", name="x", owner=owner, method=method)
            assert not Tenant.objects.filter(slug=f"broken-{method}").exists()
            assert not schema_exists(f"t_broken_{method}")


class TestMigrationsOutsideATransaction:
    """The slow way on its own (bench, scripts): committed as not ready first, then made
    ready; on failure the row and the schema are removed again."""

    @pytest.fixture
    def owner(self, django_db_setup, django_db_blocker):
        from shared_apps.accounts.models import User
        from tests.helpers import make_user

        with django_db_blocker.unblock():
            user = make_user("slow@way.test")
            yield user
            connection.set_schema_to_public()
            from tenants.services import tenant_delete

            for tenant in Tenant.objects.filter(slug__startswith="slow-way"):
                tenant_delete(tenant=tenant, backup=False)
            User.objects.filter(email="slow@way.test").delete()

    def test_success(self, owner):
        assert not connection.in_atomic_block
        tenant = tenant_provision(slug="slow-way", name="Slow", owner=owner, method="migrate")
        assert tenant.provisioned_by == "migrate"
        assert Tenant.objects.get(pk=tenant.pk).is_ready
        assert schema_exists("t_slow_way")

    def test_failure_leaves_nothing(self, owner, monkeypatch):
        from tenants.provisioning import hooks

        def broken(*, tenant, owner):
            raise RuntimeError("boom")

        monkeypatch.setitem(hooks._hooks, "broken", broken)
        with pytest.raises(RuntimeError):
            tenant_provision(slug="slow-way-broken", name="x", owner=owner, method="migrate")
        assert not Tenant.objects.filter(slug="slow-way-broken").exists()
        assert not schema_exists("t_slow_way_broken")
