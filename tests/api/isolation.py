"""Isolation-matrix rows for the REST API and the API-key settings (see
tests/test_isolation.py). Every object is acme's, owned by its owner. API rows are kind
"api": an anonymous client and another workspace's session get 401/403, never data;
tests/api/test_isolation_keys.py runs the same URLs with another workspace's key."""

from django.db import connection
from django.utils import timezone

URLS = {
    "settings_integrations": ("get", "admin"),
    "settings_api_key_revoke": ("post", "admin"),
    "api_contact-list": ("get", "api"),
    "api_contact-detail": ("get", "api"),
    "api_contact-duplicates": ("get", "api"),
    "api_contact-erase": ("post", "api"),
    "api_contact-export": ("get", "api"),
    "api_contact-export-list": ("get", "api"),
    "api_company-export-list": ("get", "api"),
    "api_deal-export-list": ("get", "api"),
    "api_contact-history": ("get", "api"),
    "api_contact-merge": ("post", "api"),
    "api_company-list": ("get", "api"),
    "api_company-detail": ("get", "api"),
    "api_company-history": ("get", "api"),
    "api_company-duplicates": ("get", "api"),
    "api_company-merge": ("post", "api"),
    "api_deal-list": ("get", "api"),
    "api_deal-detail": ("get", "api"),
    "api_deal-history": ("get", "api"),
    "api_deal-lost": ("post", "api"),
    "api_deal-move": ("post", "api"),
    "api_deal-reopen": ("post", "api"),
    "api_deal-won": ("post", "api"),
    "api_pipeline-list": ("get", "api"),
    "api_pipeline-detail": ("get", "api"),
    "api_pipeline-stages": ("post", "api"),
    "api_task-list": ("get", "api"),
    "api_task-detail": ("get", "api"),
    "api_task-complete": ("post", "api"),
    "api_task-reopen": ("post", "api"),
    "api_activity-list": ("get", "api"),
    "api_activity-detail": ("get", "api"),
    "api_custom_field-list": ("get", "api"),
    "api_tag-list": ("get", "api"),
    "api_member-list": ("get", "api"),
}


def _objects(tenant):
    from shared_apps.accounts.models import Membership
    from tenant_apps.activities.models import Activity
    from tenant_apps.companies.models import Company
    from tenant_apps.contacts.models import Contact
    from tenant_apps.deals.models import Deal, Pipeline
    from tenant_apps.integrations.models import ApiKey
    from tenant_apps.tasks.models import Task

    owner = Membership.objects.get(tenant=tenant, role="owner").user
    company = Company.objects.create(name="Secret Holdings", owner=owner)
    contact = Contact.objects.create(first_name="Private", last_name="Person", email="private@secret.example",
                                     owner=owner, company=company)
    pipeline = Pipeline.objects.get(is_default=True)
    stage = pipeline.stages.filter(kind="open").first()
    deal = Deal.objects.create(title="Secret deal", pipeline=pipeline, stage=stage, owner=owner, company=company,
                               stage_entered_at=timezone.now())
    task = Task.objects.create(title="Secret task", assignee=owner, created_by=owner, contact=contact)
    activity = Activity.objects.create(kind="note", body="Secret note", contact=contact, author=owner,
                                       occurred_at=timezone.now())
    key = ApiKey.objects.create(name="Owner's sync", prefix=f"tsk_{ApiKey.objects.count():08x}", secret_hash="0" * 64,
                                scope="read_write", created_by=owner)
    return {"contact": contact, "company": company, "deal": deal, "pipeline": pipeline, "task": task, "key": key,
            "activity": activity}


def url_args(name, tenant):
    resource = name.removeprefix("api_").split("-")[0]
    if name == "settings_api_key_revoke":
        resource = "key"
    elif name.endswith("-list") or name == "settings_integrations":
        return []
    connection.set_tenant(tenant)
    try:
        return [_objects(tenant)[resource].pk]
    finally:
        connection.set_schema_to_public()
