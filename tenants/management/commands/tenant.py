"""Manage workspaces from the command line.

    manage.py tenant create --slug acme --name "Acme" --owner-email o@acme.example [--plan pro]
    manage.py tenant list
    manage.py tenant suspend acme [--reason "..."]
    manage.py tenant resume acme
    manage.py tenant delete acme --yes            (exports a backup first)
    manage.py tenant export acme [--output file.tar.gz]
    manage.py tenant import file.tar.gz
"""

import getpass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from billing.models import Plan
from shared_apps.accounts.errors import AccountError
from shared_apps.accounts.services.users import user_create
from tenants.errors import TenantError
from tenants.models import Tenant
from tenants.services import tenant_delete, tenant_provision, tenant_resume, tenant_suspend
from tenants.services.backups import tenant_export, tenant_import


class Command(BaseCommand):
    help = "Create, list, suspend, resume, delete, export and import workspaces."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a workspace with an owner.")
        create.add_argument("--slug", required=True)
        create.add_argument("--name", required=True)
        create.add_argument("--owner-email", required=True)
        create.add_argument("--owner-password", help="For a new owner; asked for when omitted.")
        create.add_argument("--plan", default="free")
        create.add_argument("--method", choices=["pool", "clone", "migrate"])
        sub.add_parser("list", help="List workspaces.")
        suspend = sub.add_parser("suspend", help="Suspend a workspace.")
        suspend.add_argument("slug")
        suspend.add_argument("--reason", default="")
        resume = sub.add_parser("resume", help="Resume a suspended workspace.")
        resume.add_argument("slug")
        delete = sub.add_parser("delete", help="Export a backup, then delete a workspace for good.")
        delete.add_argument("slug")
        delete.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        delete.add_argument("--no-backup", action="store_true", help="Skip the backup (not recommended).")
        export = sub.add_parser("export", help="Write a workspace to an archive.")
        export.add_argument("slug")
        export.add_argument("--output", type=Path)
        imp = sub.add_parser("import", help="Restore a workspace from an archive.")
        imp.add_argument("archive", type=Path)

    def handle(self, *args, **options):
        try:
            getattr(self, f"_{options['action']}")(options)
        except (TenantError, AccountError) as exc:
            raise CommandError(str(exc.message)) from exc

    def _tenant(self, slug) -> Tenant:
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            raise CommandError(f"No workspace “{slug}”.")
        return tenant

    def _create(self, options):
        plan = Plan.objects.filter(code=options["plan"]).first()
        if plan is None:
            raise CommandError(f"No plan “{options['plan']}”; plans: {', '.join(Plan.objects.values_list('code', flat=True))}.")
        email = options["owner_email"].strip().lower()
        with transaction.atomic():
            owner = get_user_model().objects.filter(email__iexact=email).first()
            if owner is None:
                password = options["owner_password"] or getpass.getpass(f"Password for {email}: ")
                owner = user_create(email=email, password=password, verified=True)
            tenant = tenant_provision(
                slug=options["slug"], name=options["name"], owner=owner, plan=plan, method=options["method"]
            )
        self.stdout.write(self.style.SUCCESS(f"Created {tenant.slug} ({tenant.schema_name}) by {tenant.provisioned_by}."))

    def _list(self, options):
        rows = Tenant.objects.select_related("plan").order_by("slug")
        self.stdout.write(f"{'slug':<24} {'status':<10} {'plan':<11} {'ready':<6} {'created':<20} name")
        for t in rows:
            self.stdout.write(
                f"{t.slug:<24} {t.status:<10} {t.plan.code:<11} {'yes' if t.is_ready else 'no':<6} "
                f"{t.created_at:%Y-%m-%d %H:%M}     {t.name}"
            )

    def _suspend(self, options):
        tenant_suspend(tenant=self._tenant(options["slug"]), reason=options["reason"])
        self.stdout.write(self.style.SUCCESS(f"Suspended {options['slug']}."))

    def _resume(self, options):
        tenant_resume(tenant=self._tenant(options["slug"]))
        self.stdout.write(self.style.SUCCESS(f"Resumed {options['slug']}."))

    def _delete(self, options):
        tenant = self._tenant(options["slug"])
        if not options["yes"]:
            answer = input(f"Type the slug “{tenant.slug}” to delete it for good: ")
            if answer.strip() != tenant.slug:
                raise CommandError("Not deleted.")
        backup = tenant_delete(tenant=tenant, backup=not options["no_backup"])
        where = f"; backup in {backup}" if backup else ""
        self.stdout.write(self.style.SUCCESS(f"Deleted {options['slug']}{where}."))

    def _export(self, options):
        path = tenant_export(tenant=self._tenant(options["slug"]), path=options["output"])
        self.stdout.write(self.style.SUCCESS(f"Exported {options['slug']} to {path}."))

    def _import(self, options):
        if not options["archive"].exists():
            raise CommandError(f"No file {options['archive']}.")
        tenant = tenant_import(archive_path=options["archive"])
        self.stdout.write(self.style.SUCCESS(f"Imported {tenant.slug}."))
