"""Demo data for `make run`: workspaces acme and globex with a user for every role,
a platform admin, and a realistic small CRM in each workspace (English in acme,
Bulgarian in globex). Safe to run again: what exists is left alone.

`--size large` also builds the large workspace of the performance budgets (default
"bigco", the acme demo users as its members): 100k contacts, 20k companies, 50k deals,
200k activities, written with COPY (tenant_apps/workspace/demo/large.py)."""

import time

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from billing.models import Plan
from shared_apps.accounts.models import Membership, Role, User
from tenants.models import Tenant
from tenants.services import tenant_provision
from tenant_apps.workspace.demo.large import large_counts, large_crm_seed
from tenant_apps.workspace.demo.small import demo_crm_present, demo_crm_seed
from tenant_apps.workspace.models import WorkspaceProfile
from themes.models import Branding

DEMO_PASSWORD = "tessera-demo"
ROLES = [
    (Role.OWNER, "owner", "Olivia Owner"),
    (Role.ADMIN, "admin", "Adam Admin"),
    (Role.MANAGER, "manager", "Maria Manager"),
    (Role.SALES, "sales", "Sam Sales"),
    (Role.SUPPORT, "support", "Sofia Support"),
    (Role.READ_ONLY, "readonly", "Rita Reader"),
]
WORKSPACES = [
    {
        "slug": "acme", "name": "Acme Ltd", "plan": "pro", "domain": "acme.example", "primary": "#2563eb",
        "accent": "#f59e0b", "profile": {"legal_name": "Acme Ltd", "tax_id": "BG123456789", "phone": "+359 2 123 4567",
        "website": "https://acme.example", "address_line1": "1 Vitosha Blvd", "postal_code": "1000", "city": "Sofia",
        "country": "Bulgaria", "default_language": "en", "default_currency": "EUR"},
    },
    {
        "slug": "globex", "name": "Глобекс ООД", "plan": "basic", "domain": "globex.example", "primary": "#0f766e",
        "accent": "#e11d48", "profile": {"legal_name": "Глобекс ООД", "tax_id": "BG987654321", "phone": "+359 52 765 432",
        "website": "https://globex.example", "address_line1": "бул. Княз Борис I 15", "postal_code": "9000",
        "city": "Варна", "country": "България", "default_language": "bg", "default_currency": "BGN"},
    },
]


LARGE_SLUG = "bigco"


def _members(tenant, *, sellers_only=False) -> list[User]:
    """The workspace's members (the roles that own records, when `sellers_only`)."""
    roles = [Role.OWNER, Role.ADMIN, Role.MANAGER, Role.SALES] if sellers_only else list(Role.values)
    return [m.user for m in Membership.objects.filter(tenant=tenant, role__in=roles).select_related("user").order_by("pk")]


def _owner(tenant) -> User:
    return Membership.objects.select_related("user").filter(tenant=tenant, role=Role.OWNER).order_by("pk").first().user


def _user(email: str, full_name: str, *, staff=False, language="") -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name, is_staff=staff, language=language)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


class Command(BaseCommand):
    help = "Create the demo workspaces (acme, globex) with CRM data, their users and a platform admin."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=["small", "large"], default="small",
                            help="large: also build the large workspace for the benchmarks.")
        parser.add_argument("--tenant", default=LARGE_SLUG, help="The large workspace's slug (made when missing).")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="Fraction of the large set (1 = 100k contacts); tests use 0.001.")

    def handle(self, *args, **options):
        if not 0 < options["scale"] <= 10:
            raise CommandError("--scale must be more than 0 and at most 10.")
        connection.set_schema_to_public()
        _user("staff@tessera.example", "Platform Admin", staff=True)
        for spec in WORKSPACES:
            self._workspace(spec)
        if options["size"] == "large":
            self._large(options["tenant"], options["scale"])
        connection.set_schema_to_public()

    def _workspace(self, spec):
        tenant = Tenant.objects.filter(slug=spec["slug"]).first()
        if tenant is None:
            tenant = self._create(spec)
        else:
            self.stdout.write(f"{spec['slug']}: exists")
        connection.set_tenant(tenant)
        try:
            if demo_crm_present():
                self.stdout.write(f"{spec['slug']}: has CRM data, left alone")
                return
            started = time.perf_counter()
            made = demo_crm_seed(actor=_owner(tenant), members=_members(tenant),
                                 language=spec["profile"]["default_language"])
            summary = ", ".join(f"{n} {name}" for name, n in made.items())
            self.stdout.write(f"{spec['slug']}: demo CRM data ({summary}) in {time.perf_counter() - started:.1f}s")
            customer = self._portal_customer(tenant, spec)
            self.stdout.write(f"{spec['slug']}: portal customer {customer}")
        finally:
            connection.set_schema_to_public()

    def _portal_customer(self, tenant, spec) -> str:
        """customer@<domain>: a contact of the company with the most offers and invoices, with
        portal access, so that the portal can be tried with the demo password."""
        from django.db.models import Count
        from django.utils import timezone

        from portal.models import PortalAccess
        from tenant_apps.companies.models import Company
        from tenant_apps.contacts.models import Contact

        language = spec["profile"]["default_language"]
        first, last = ("Павлина", "Порталова") if language == "bg" else ("Paula", "Portal")
        email = f"customer@{spec['domain']}"
        user = _user(email, f"{first} {last}", language=language)
        company = Company.objects.annotate(n=Count("documents")).order_by("-n", "pk").first()
        with transaction.atomic():
            contact = Contact.objects.create(first_name=first, last_name=last, email=email, company=company,
                                             owner=_owner(tenant))
            PortalAccess.objects.create(user=user, contact=contact, status=PortalAccess.Status.ACTIVE,
                                        invited_at=timezone.now(), activated_at=timezone.now())
        return f"{email} of {company.name if company else '-'}"

    def _create(self, spec) -> Tenant:
        language = spec["profile"]["default_language"]
        users = {role: _user(f"{local}@{spec['domain']}", name, language=language) for role, local, name in ROLES}
        with transaction.atomic():
            tenant = tenant_provision(
                slug=spec["slug"], name=spec["name"], owner=users[Role.OWNER],
                plan=Plan.objects.get(code=spec["plan"]),
            )
            for role, user in users.items():
                if role != Role.OWNER:
                    Membership.objects.create(user=user, tenant=tenant, role=role)
            connection.set_tenant(tenant)
            WorkspaceProfile.objects.filter(singleton=True).update(email=f"hello@{spec['domain']}", **spec["profile"])
            Branding.objects.filter(singleton=True).update(primary_colour=spec["primary"], accent_colour=spec["accent"])
            connection.set_schema_to_public()
        self.stdout.write(f"{spec['slug']}: created ({tenant.provisioned_by})")
        return tenant

    def _large(self, slug: str, scale: float):
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            acme = Tenant.objects.get(slug=WORKSPACES[0]["slug"])
            members = Membership.objects.filter(tenant=acme).select_related("user")
            with transaction.atomic():
                tenant = tenant_provision(slug=slug, name="BigCo Holdings", owner=_owner(acme),
                                          plan=Plan.objects.get(code="enterprise"))
                Membership.objects.bulk_create([Membership(user=m.user, tenant=tenant, role=m.role)
                                                for m in members if m.role != Role.OWNER])
                connection.set_schema_to_public()
            self.stdout.write(f"{slug}: created ({tenant.provisioned_by})")
        connection.set_tenant(tenant)
        try:
            if demo_crm_present():
                self.stdout.write(f"{slug}: has CRM data, left alone")
                return
            counts = ", ".join(f"{n} {name}" for name, n in large_counts(scale).items())
            self.stdout.write(f"{slug}: writing {counts}...")
            started = time.perf_counter()
            owner = _owner(tenant)
            timings = large_crm_seed(actor=owner, owners=_members(tenant, sellers_only=True) or [owner], scale=scale)
            for timing in timings:
                self.stdout.write(f"  {timing.table:<28} {timing.rows:>8} rows  {timing.seconds:6.1f}s")
            self.stdout.write(f"{slug}: done in {time.perf_counter() - started:.1f}s")
        finally:
            connection.set_schema_to_public()
