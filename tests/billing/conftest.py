"""Billing fixtures: moving acme to a plan with small limits, private file storage, and
the import helpers of tests/imports."""

import pytest
from django.db import connection

from tests.imports.conftest import csv_bytes, run_import, upload  # noqa: F401  (fixtures used here too)


@pytest.fixture
def on_plan(tenant_a):
    """on_plan(code="free", **fields) -> acme moved to that seeded plan, its fields changed
    as given (max_contacts=3, features=[], ...). Rolled back with the test."""
    from billing.models import Plan
    from tenants.models import Tenant

    def move(code="free", **fields):
        if fields:
            Plan.objects.filter(code=code).update(**fields)
        plan = Plan.objects.get(code=code)
        Tenant.objects.filter(pk=tenant_a.pk).update(plan=plan)
        tenant_a.plan = plan
        return plan

    return move


@pytest.fixture
def media(settings, tmp_path):
    """Default storage in a folder of this test alone, so storage usage starts at 0."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def add_contacts(in_acme, owner):
    """add_contacts(n) -> n contacts in acme, written directly (not through the limits)."""
    from tenant_apps.contacts.models import Contact

    def add(n):
        connection.set_tenant(in_acme)
        return Contact.objects.bulk_create(
            [Contact(first_name=f"Person {i}", owner=owner, created_by=owner) for i in range(n)]
        )

    return add


@pytest.fixture
def contact_count(in_acme):
    from tenant_apps.contacts.models import Contact

    def count():
        connection.set_tenant(in_acme)
        return Contact.objects.count()

    return count
