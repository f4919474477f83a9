"""Demo data for `make run`: workspaces acme and globex with a user for every role,
and a platform admin. Safe to run again: what exists is left alone."""

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from billing.models import Plan
from shared_apps.accounts.models import Membership, Role, User
from tenants.models import Tenant
from tenants.services import tenant_provision
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


def _user(email: str, full_name: str, *, staff=False, language="") -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name, is_staff=staff, language=language)
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


class Command(BaseCommand):
    help = "Create the demo workspaces (acme, globex), their users and a platform admin."

    def handle(self, *args, **options):
        connection.set_schema_to_public()
        _user("staff@tessera.example", "Platform Admin", staff=True)
        for spec in WORKSPACES:
            if Tenant.objects.filter(slug=spec["slug"]).exists():
                self.stdout.write(f"{spec['slug']}: exists")
                continue
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
