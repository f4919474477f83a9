"""A small CRM in acme for the search tests: records of the owner and of the sales rep,
notes and tasks on them, and one record in globex that must never appear."""

import pytest
from django.db import connection
from django.utils import timezone

from tenant_apps.search.selectors import trigram_forget


@pytest.fixture
def crm(in_acme, owner, sales_rep, tenant_b, outsider):
    from tenant_apps.activities.models import Activity
    from tenant_apps.companies.models import Company
    from tenant_apps.contacts.models import Contact
    from tenant_apps.deals.models import Deal, Pipeline
    from tenant_apps.tasks.models import Task

    trigram_forget()
    connection.set_tenant(tenant_b)
    Contact.objects.create(first_name="Ivan", last_name="Globex", email="ivan@globex.example", owner=outsider)
    connection.set_tenant(in_acme)
    now = timezone.now()
    acme = Company.objects.create(name="Acme Widgets", domain="acme.example", city="Sofia", owner=owner)
    made = {
        "ivan": Contact.objects.create(first_name="Ivan", last_name="Petrov", email="ivan@acme.example",
                                       job_title="Buyer", owner=owner, company=acme),
        "ivanka": Contact.objects.create(first_name="Ivanka", last_name="Ivanova", email="ivanka@shop.example",
                                         owner=sales_rep),
        "ivan_bg": Contact.objects.create(first_name="Иван", last_name="Георгиев", email="ivan.g@example.bg",
                                          owner=owner),
        "maria": Contact.objects.create(first_name="Мария", last_name="Иванова", owner=sales_rep),
        "acme": acme,
        "rep_company": Company.objects.create(name="Ivanov Trading", owner=sales_rep),
    }
    pipeline = Pipeline.objects.get(is_default=True)
    stage = pipeline.stages.filter(kind="open").first()
    made["deal"] = Deal.objects.create(title="Ivanov renewal", pipeline=pipeline, stage=stage, owner=owner,
                                       company=acme, amount=1200)
    made["rep_deal"] = Deal.objects.create(title="Ivanka upsell", pipeline=pipeline, stage=stage, owner=sales_rep)
    made["task"] = Task.objects.create(title="Call Ivan about the renewal", assignee=owner, created_by=owner,
                                       contact=made["ivan"])
    made["rep_task"] = Task.objects.create(title="Send Ivanka the offer", assignee=sales_rep, created_by=sales_rep)
    made["note"] = Activity.objects.create(kind="note", body="Ivan prefers calls in the morning", author=owner,
                                           contact=made["ivan"], occurred_at=now)
    made["call"] = Activity.objects.create(kind="call", subject="Ivan called", author=owner, contact=made["ivan"],
                                           occurred_at=now)
    made["rep_note"] = Activity.objects.create(kind="note", body="Ivanka wants a discount", author=sales_rep,
                                               contact=made["ivanka"], occurred_at=now)
    return made


@pytest.fixture
def support(in_acme):
    from shared_apps.accounts.models import Membership
    from tests.helpers import make_user

    connection.set_schema_to_public()
    user = make_user("support@acme.test", "Sue Support")
    Membership.objects.create(user=user, tenant=in_acme, role="support")
    connection.set_tenant(in_acme)
    return user
