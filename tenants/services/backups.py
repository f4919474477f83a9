"""Export one workspace to a single archive and import it back, by itself.

An archive (tar.gz) holds:
  manifest.json   format version, slug, schema, migrations applied to the schema
  public.json     the workspace's public rows: tenant, domains, members and their user
                  accounts, invitations still open, and its security log
  schema.dump     pg_dump --format=custom of the tenant's schema
  media/...       the workspace's files

Import restores under the original slug and schema. Users are matched by e-mail; when a
user's id differs on this platform, references to it in tenant tables are rewritten
between the data and post-data sections of the restore, before foreign keys come back.
Everything in the database happens in one transaction.
"""

import io
import json
import os
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from billing.models import Plan
from shared_apps.audit.models import EventKind, SecurityEvent
from shared_apps.audit.services import security_event_record

from ..errors import BackupError
from ..hosts import host_cache_invalidate, platform_hostname
from ..models import Domain, Tenant
from ..postgres import _connection_args, pg_tool, quote_ident, schema_exists, sql_lines_outside_bodies
from .lifecycle import tenant_media_root

FORMAT_VERSION = 1


def _schema_migrations(schema: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app, name FROM {quote_ident(schema)}.django_migrations ORDER BY id")
        return [list(row) for row in cursor.fetchall()]


def _public_rows(tenant: Tenant) -> dict:
    from shared_apps.accounts.models import Invitation, Membership
    from allauth.account.models import EmailAddress

    memberships = list(Membership.objects.filter(tenant=tenant).select_related("user"))
    verified = set(
        EmailAddress.objects.filter(user__in=[m.user for m in memberships], verified=True).values_list("email", flat=True)
    )
    return {
        "tenant": {
            "slug": tenant.slug,
            "name": tenant.name,
            "schema_name": tenant.schema_name,
            "status": tenant.status,
            "plan": tenant.plan.code,
            "suspended_reason": tenant.suspended_reason,
            "created_at": tenant.created_at.isoformat(),
        },
        "domains": [
            {"domain": d.domain, "surface": d.surface, "is_primary": d.is_primary, "is_verified": d.is_verified}
            for d in Domain.objects.filter(tenant=tenant)
        ],
        "users": [
            {
                "id": m.user.pk,
                "email": m.user.email,
                "full_name": m.user.full_name,
                "password": m.user.password,
                "language": m.user.language,
                "is_active": m.user.is_active,
                "date_joined": m.user.date_joined.isoformat(),
                "email_verified": m.user.email in verified,
            }
            for m in memberships
        ],
        "memberships": [
            {"email": m.user.email, "role": m.role, "created_at": m.created_at.isoformat()} for m in memberships
        ],
        "invitations": [
            {
                "email": i.email,
                "role": i.role,
                "token_hash": i.token_hash,
                "created_at": i.created_at.isoformat(),
                "expires_at": i.expires_at.isoformat(),
            }
            for i in Invitation.objects.filter(tenant=tenant, accepted_at__isnull=True, revoked_at__isnull=True)
        ],
        "security_events": [
            {
                "kind": e.kind,
                "actor_email": e.actor_email,
                "impersonator_email": e.impersonator_email,
                "ip": e.ip,
                "user_agent": e.user_agent,
                "data": e.data,
                "created_at": e.created_at.isoformat(),
            }
            for e in SecurityEvent.objects.filter(tenant=tenant).order_by("created_at")
        ],
    }


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def tenant_export(*, tenant: Tenant, path: Path | None = None, actor=None, request=None, reason: str = "export") -> Path:
    """Write the workspace's archive to `path` (default: TENANT_BACKUP_DIR) and return it."""
    connection.set_schema_to_public()
    if path is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        path = Path(settings.TENANT_BACKUP_DIR) / f"{tenant.slug}-{stamp}.tar.gz"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    manifest = {
        "format": FORMAT_VERSION,
        "slug": tenant.slug,
        "schema": tenant.schema_name,
        "exported_at": timezone.now().isoformat(),
        "migrations": _schema_migrations(tenant.schema_name),
    }
    public = _public_rows(tenant)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "schema.dump"
        args, env = _connection_args()
        result = subprocess.run(
            [pg_tool("pg_dump"), *args, "--schema", tenant.schema_name, "--no-owner", "--no-privileges",
             "--format=custom", "--file", str(dump)],
            capture_output=True, text=True, env=env,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        partial = path.with_suffix(".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
            _add_bytes(archive, "public.json", json.dumps(public, indent=2, default=str).encode())
            archive.add(dump, arcname="schema.dump")
            media = tenant_media_root(tenant)
            if media.exists():
                archive.add(media, arcname="media")
        partial.replace(path)
    security_event_record(
        kind=EventKind.TENANT_EXPORTED, request=request, actor=actor, tenant=tenant, reason=reason, file=path.name
    )
    return path


# --- import ---------------------------------------------------------------------------


def _restore_sql(dump: Path, section: str) -> str:
    result = subprocess.run(
        [pg_tool("pg_restore"), "--no-owner", "--no-privileges", f"--section={section}", "--file", "-", str(dump)],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    return result.stdout


def _is_noise(line: str) -> bool:
    return line.startswith(("SET ", "SELECT pg_catalog.set_config(", "\\", "--")) or not line.strip()


def _execute_sql_script(script: str) -> None:
    """Run pg_restore's plain SQL on the Django connection, COPY blocks included.
    Session settings, comments and psql meta-commands are skipped, except inside
    function bodies, which are kept exactly."""
    raw = connection.cursor().cursor  # the psycopg cursor
    buffer: list[str] = []
    lines = sql_lines_outside_bodies(script)
    for line, outside in lines:
        if outside and line.startswith("COPY ") and line.rstrip().endswith("FROM stdin;"):
            if buffer:
                raw.execute("\n".join(buffer))
                buffer = []
            data = []
            for data_line, _outside in lines:
                if data_line == "\\.":
                    break
                data.append(data_line + "\n")
            with raw.copy(line.rstrip().rstrip(";")) as copy:
                copy.write("".join(data))
        elif not outside or not _is_noise(line):
            buffer.append(line)
    if buffer:
        raw.execute("\n".join(buffer))


def _user_fk_columns() -> list[tuple[str, str]]:
    """(table, column) of every tenant-schema column that references a user."""
    user_model = get_user_model()
    tenant_apps = {config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS}
    columns = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in tenant_apps or not model._meta.managed or model._meta.proxy:
            continue  # views (pghistory's Events) and proxies have no column of their own
        for field in model._meta.local_fields:
            if field.is_relation and field.related_model is user_model:
                columns.append((model._meta.db_table, field.column))
    return columns


def _check_migrations(manifest: dict) -> None:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]
    if unknown:
        raise BackupError(
            _("The archive comes from a newer version of the platform (unknown migrations: %(names)s).")
            % {"names": ", ".join(unknown[:5])}
        )


def _read_archive(archive_path: Path, workdir: Path) -> tuple[dict, dict, Path]:
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(workdir, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(_("This file is not a workspace archive: %(error)s") % {"error": exc}) from exc
    try:
        manifest = json.loads((workdir / "manifest.json").read_text())
        public = json.loads((workdir / "public.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(_("The archive is incomplete or damaged: %(error)s") % {"error": exc}) from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(_("Unsupported archive format %(format)s.") % {"format": manifest.get("format")})
    dump = workdir / "schema.dump"
    if not dump.exists():
        raise BackupError(_("The archive has no schema dump."))
    return manifest, public, dump


def tenant_import(*, archive_path: Path, actor=None) -> Tenant:
    """Restore a workspace from an archive made by tenant_export."""
    from allauth.account.models import EmailAddress

    from shared_apps.accounts.models import Invitation, Membership

    connection.set_schema_to_public()
    user_model = get_user_model()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        manifest, public, dump = _read_archive(Path(archive_path), workdir)
        slug, schema = manifest["slug"], manifest["schema"]
        if Tenant.objects.filter(slug=slug).exists() or schema_exists(schema):
            raise BackupError(
                _("A workspace “%(slug)s” already exists here; delete it before restoring.") % {"slug": slug}
            )
        _check_migrations(manifest)
        sections = {name: _restore_sql(dump, name) for name in ("pre-data", "data", "post-data")}
        media_source = workdir / "media"
        t = public["tenant"]
        with transaction.atomic():
            id_map = {}
            for row in public["users"]:
                user = user_model.objects.filter(email__iexact=row["email"]).first()
                if user is None:
                    user = user_model(
                        email=row["email"],
                        full_name=row["full_name"],
                        password=row["password"],
                        language=row["language"],
                        is_active=row["is_active"],
                        date_joined=parse_datetime(row["date_joined"]),
                    )
                    user.save()
                    if row.get("email_verified"):
                        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
                id_map[row["id"]] = user.pk
            plan = Plan.objects.filter(code=t["plan"]).first() or Plan.objects.get(code="free")
            tenant = Tenant(
                slug=slug, name=t["name"], schema_name=schema, status=t["status"], plan=plan,
                suspended_reason=t.get("suspended_reason", ""), is_ready=True,
            )
            tenant.save()
            Tenant.objects.filter(pk=tenant.pk).update(created_at=parse_datetime(t["created_at"]))
            platform = {platform_hostname(slug, s) for s in Domain.Surface.values}
            for surface in Domain.Surface.values:
                Domain.objects.create(
                    tenant=tenant, domain=platform_hostname(slug, surface), surface=surface,
                    is_primary=True, is_verified=True,
                )
            for row in public["domains"]:
                if row["domain"] in platform or Domain.objects.filter(domain=row["domain"]).exists():
                    continue
                # A custom domain must prove itself again on this platform.
                Domain.objects.create(
                    tenant=tenant, domain=row["domain"], surface=row["surface"], is_primary=False, is_verified=False
                )
            by_email = {row["email"]: id_map[row["id"]] for row in public["users"]}
            for row in public["memberships"]:
                Membership.objects.create(user_id=by_email[row["email"]], tenant=tenant, role=row["role"])
            for row in public.get("invitations", []):
                if parse_datetime(row["expires_at"]) > timezone.now():
                    Invitation.objects.create(
                        tenant=tenant, email=row["email"], role=row["role"], token_hash=row["token_hash"],
                        expires_at=parse_datetime(row["expires_at"]),
                    )
            events = [
                SecurityEvent(
                    kind=e["kind"], tenant=tenant, tenant_slug=slug, actor_email=e["actor_email"],
                    impersonator_email=e.get("impersonator_email", ""), ip=e["ip"], user_agent=e["user_agent"],
                    data=e["data"], actor=user_model.objects.filter(email__iexact=e["actor_email"]).first()
                    if e["actor_email"] else None,
                )
                for e in public.get("security_events", [])
            ]
            created_events = SecurityEvent.objects.bulk_create(events)
            for event, row in zip(created_events, public.get("security_events", []), strict=True):
                SecurityEvent.objects.filter(pk=event.pk).update(created_at=parse_datetime(row["created_at"]))

            _execute_sql_script(sections["pre-data"])
            _execute_sql_script(sections["data"])
            changed = {old: new for old, new in id_map.items() if old != new}
            if changed:
                values = ", ".join(["(%s::bigint, %s::bigint)"] * len(changed))
                params = [v for pair in changed.items() for v in pair]
                with connection.cursor() as cursor:
                    for table, column in _user_fk_columns():
                        cursor.execute(
                            f"UPDATE {quote_ident(schema)}.{quote_ident(table)} AS t SET {quote_ident(column)} = m.new "
                            f"FROM (VALUES {values}) AS m(old, new) WHERE t.{quote_ident(column)} = m.old",
                            params,
                        )
                    # Who made each recorded change (records' history) is a user id in JSON.
                    cursor.execute(
                        f"UPDATE {quote_ident(schema)}.pghistory_context AS t "
                        f"SET metadata = jsonb_set(t.metadata, '{{user}}', to_jsonb(m.new)) "
                        f"FROM (VALUES {values}) AS m(old, new) "
                        f"WHERE jsonb_typeof(t.metadata->'user') = 'number' AND (t.metadata->>'user')::bigint = m.old",
                        params,
                    )
            _execute_sql_script(sections["post-data"])
            connection.set_schema_to_public()
            security_event_record(
                kind=EventKind.TENANT_IMPORTED, actor=actor, tenant=tenant, file=Path(archive_path).name
            )
        # The restored schema may predate the code's migrations.
        call_command("migrate_schemas", schema_name=schema, tenant=True, interactive=False, verbosity=0)
        connection.set_schema_to_public()
        if media_source.exists():
            target = tenant_media_root(tenant)
            target.parent.mkdir(parents=True, exist_ok=True)
            import shutil

            shutil.copytree(media_source, target, dirs_exist_ok=True)
    host_cache_invalidate(tenant=tenant)
    return tenant
