"""manage.py tenant: create, list, suspend/resume, delete (with backup), export/import."""

import json
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from shared_apps.accounts.models import Membership, User
from tenants.models import Tenant
from tenants.postgres import schema_exists
from tenants.services.backups import tenant_export, tenant_import
from tests.helpers import PASSWORD


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("tenant", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestCommands:
    def test_create_and_list(self):
        out = run("create", "--slug", "cli-co", "--name", "CLI Co", "--owner-email", "boss@cli.test",
                  "--owner-password", PASSWORD, "--plan", "basic")
        assert "Created cli-co (t_cli_co)" in out
        tenant = Tenant.objects.get(slug="cli-co")
        assert tenant.plan.code == "basic"
        assert Membership.objects.get(tenant=tenant).user.email == "boss@cli.test"
        listing = run("list")
        assert "cli-co" in listing and "acme" in listing

    def test_create_refuses_bad_input_with_clear_messages(self):
        with pytest.raises(CommandError, match="reserved"):
            run("create", "--slug", "admin", "--name", "x", "--owner-email", "a@b.test", "--owner-password", PASSWORD)
        with pytest.raises(CommandError, match="No plan"):
            run("create", "--slug", "ok-co", "--name", "x", "--owner-email", "a@b.test", "--plan", "gold")
        with pytest.raises(CommandError, match="too short"):
            run("create", "--slug", "ok-co", "--name", "x", "--owner-email", "a@b.test", "--owner-password", "x")
        assert not Tenant.objects.filter(slug="ok-co").exists()
        assert not User.objects.filter(email="a@b.test").exists()

    def test_suspend_resume(self):
        run("suspend", "acme", "--reason", "abuse")
        assert Tenant.objects.get(slug="acme").status == "suspended"
        with pytest.raises(CommandError, match="already suspended"):
            run("suspend", "acme")
        run("resume", "acme")
        assert Tenant.objects.get(slug="acme").status == "active"
        with pytest.raises(CommandError, match="No workspace"):
            run("resume", "nope")


@pytest.fixture
def committed_tenant(django_db_blocker):
    """A workspace whose rows are really committed (pg_dump reads from its own
    connection, so it cannot see a test's open transaction). Removed afterwards."""
    import secrets

    from shared_apps.audit.models import SecurityEvent
    from tenants.services import tenant_delete, tenant_provision
    from tests.helpers import make_user

    slug = f"bk-{secrets.token_hex(3)}"
    emails = [f"owner@{slug}.test", f"sales@{slug}.test"]
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        owner = make_user(emails[0], "Backup Owner")
        tenant = tenant_provision(slug=slug, name="Backup Co", owner=owner, method="clone")
        Membership.objects.create(user=make_user(emails[1], "Backup Sales"), tenant=tenant, role="sales")
        try:
            yield tenant
        finally:
            connection.set_schema_to_public()
            for leftover in Tenant.objects.filter(slug=slug):
                tenant_delete(tenant=leftover, backup=False)
            SecurityEvent.objects.filter(tenant_slug=slug).delete()
            SecurityEvent.objects.filter(actor_email__in=emails).delete()
            User.objects.filter(email__in=emails).delete()


def _set_profile(tenant, **values):
    from tenant_apps.workspace.models import WorkspaceProfile

    connection.set_tenant(tenant)
    WorkspaceProfile.objects.update(**values)
    connection.set_schema_to_public()


def _profile(tenant):
    from tenant_apps.workspace.models import WorkspaceProfile

    connection.set_tenant(tenant)
    profile = WorkspaceProfile.objects.get()
    connection.set_schema_to_public()
    return profile


class TestBackups:
    def test_delete_keeps_a_backup_and_import_restores_everything(self, committed_tenant, tmp_path, settings):
        slug = committed_tenant.slug
        settings.TENANT_BACKUP_DIR = tmp_path
        _set_profile(committed_tenant, legal_name="Legal Name", city="Пловдив")
        members = sorted(Membership.objects.filter(tenant=committed_tenant).values_list("user__email", "role"))
        out = run("delete", slug, "--yes")
        assert "backup in" in out
        assert not Tenant.objects.filter(slug=slug).exists()
        assert not schema_exists(committed_tenant.schema_name)
        [archive] = list(tmp_path.glob(f"{slug}-*.tar.gz"))
        assert oct(archive.stat().st_mode & 0o777) == "0o600"
        run("import", str(archive))
        restored = Tenant.objects.get(slug=slug)
        assert sorted(Membership.objects.filter(tenant=restored).values_list("user__email", "role")) == members
        profile = _profile(restored)
        assert (profile.legal_name, profile.city) == ("Legal Name", "Пловдив")
        from django.test import Client

        assert Client(HTTP_HOST=f"{slug}.localhost").post(
            "/accounts/login/", {"login": f"owner@{slug}.test", "password": PASSWORD}
        ).status_code == 302

    def test_import_onto_another_platform_maps_users_by_email(self, committed_tenant, tmp_path):
        from tenant_apps.contacts.models import Contact
        from tenant_apps.contacts.services import contact_create, contact_update
        from tenant_apps.records.history_selectors import record_history

        slug = committed_tenant.slug
        connection.set_tenant(committed_tenant)
        rep = User.objects.get(email=f"sales@{slug}.test")
        contact = contact_create(actor=rep, data={"first_name": "Ivan"})
        contact_update(contact=contact, actor=rep, data={"last_name": "Petrov"})
        connection.set_schema_to_public()
        archive = tenant_export(tenant=committed_tenant, path=tmp_path / "a.tar.gz")
        with tarfile.open(archive) as tar:
            public = json.load(tar.extractfile("public.json"))
        assert {u["email"] for u in public["users"]} == {f"owner@{slug}.test", f"sales@{slug}.test"}
        from tenants.services import tenant_delete

        tenant_delete(tenant=committed_tenant, backup=False)
        # the sales rep's account does not exist on "this platform": it comes back with a new id
        old_id = User.objects.get(email=f"sales@{slug}.test").pk
        User.objects.filter(email=f"sales@{slug}.test").delete()
        tenant = tenant_import(archive_path=archive)
        sales = User.objects.get(email=f"sales@{slug}.test")
        assert sales.pk != old_id
        assert Membership.objects.get(tenant=tenant, user=sales).role == "sales"
        assert sales.check_password(PASSWORD)
        # Their records and the history of their changes point at the new account.
        connection.set_tenant(tenant)
        try:
            restored = Contact.objects.get(first_name="Ivan")
            assert (restored.owner_id, restored.created_by_id) == (sales.pk, sales.pk)
            assert {entry["user_id"] for entry in record_history(record=restored)} == {sales.pk}
        finally:
            connection.set_schema_to_public()

    def test_import_refuses_an_existing_workspace(self, committed_tenant, tmp_path):
        from tenants.errors import BackupError

        archive = tenant_export(tenant=committed_tenant, path=tmp_path / "a.tar.gz")
        with pytest.raises(BackupError, match="already exists"):
            tenant_import(archive_path=archive)

    def test_import_refuses_an_archive_from_a_newer_platform(self, committed_tenant, tmp_path):
        import io

        from tenants.errors import BackupError
        from tenants.services import tenant_delete

        archive = tenant_export(tenant=committed_tenant, path=tmp_path / "a.tar.gz")
        newer = tmp_path / "newer.tar.gz"
        with tarfile.open(archive) as src, tarfile.open(newer, "w:gz") as dst:
            for member in src.getmembers():
                data = src.extractfile(member).read() if member.isfile() else None
                if member.name == "manifest.json":
                    manifest = json.loads(data)
                    manifest["migrations"].append(["workspace", "9999_from_the_future"])
                    data = json.dumps(manifest).encode()
                    member.size = len(data)
                dst.addfile(member, io.BytesIO(data) if data is not None else None)
        tenant_delete(tenant=committed_tenant, backup=False)
        with pytest.raises(BackupError, match="newer version"):
            tenant_import(archive_path=newer)
        assert not schema_exists(committed_tenant.schema_name)
        assert not Tenant.objects.filter(slug=committed_tenant.slug).exists()


@pytest.mark.django_db
class TestExportChecks:
    def test_import_refuses_garbage(self, tmp_path):
        bogus = tmp_path / "x.tar.gz"
        bogus.write_bytes(b"not a tarball")
        with pytest.raises(CommandError, match="not a workspace archive"):
            run("import", str(bogus))
        with pytest.raises(CommandError, match="No file"):
            run("import", str(tmp_path / "missing.tar.gz"))

    def test_export_is_logged(self, tenant_a, tmp_path):
        from shared_apps.audit.models import EventKind, SecurityEvent

        run("export", "acme", "--output", str(tmp_path / "a.tar.gz"))
        assert SecurityEvent.objects.filter(kind=EventKind.TENANT_EXPORTED, tenant=tenant_a).exists()
