"""Portal customers for tests: a contact of a company in acme with an active PortalAccess.

    access = make_customer(tenant_a, email="nora@northwind.test", company="Northwind")
    client = portal_client_for(access, tenant_a)   # signed in on acme.portal.localhost
"""

from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.helpers import make_user, sign_in

PORTAL_HOST = "{slug}.portal.localhost"


def make_customer(tenant, *, email, company="Northwind", name="Nora Customer", status="active"):
    """A company (get or create by name), a contact with `email`, a user and an access."""
    from portal.models import PortalAccess
    from shared_apps.accounts.models import User
    from tenant_apps.companies.models import Company
    from tenant_apps.contacts.models import Contact

    previous = connection.tenant if connection.schema_name != "public" else None
    connection.set_schema_to_public()
    user = User.objects.filter(email=email).first() or make_user(email, name)
    connection.set_tenant(tenant)
    try:
        firm = Company.objects.get_or_create(name=company)[0] if company else None
        first, _, last = name.partition(" ")
        contact = Contact.objects.create(first_name=first, last_name=last, email=email, company=firm)
        access = PortalAccess.objects.create(
            user=user, contact=contact, status=status, invited_at=timezone.now(),
            activated_at=timezone.now() if status == "active" else None,
        )
    finally:
        if previous is not None:
            connection.set_tenant(previous)
        else:
            connection.set_schema_to_public()
    return access


def portal_client_for(access, tenant):
    """A client signed in as `access`'s customer on `tenant`'s portal host."""
    client = Client(HTTP_HOST=PORTAL_HOST.format(slug=tenant.slug))
    previous = connection.tenant if connection.schema_name != "public" else None
    sign_in(client, access.user, tenant=tenant, surface="portal")
    if previous is not None:
        connection.set_tenant(previous)
    return client
