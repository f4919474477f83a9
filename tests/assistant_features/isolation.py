"""Isolation-matrix rows for the assistant's e-mail drafts and template generation (see
tests/test_isolation.py). The records are acme's, owned by its owner; drafting is for
members who may log activities (read-only members get 403), generation for admins."""

from django.db import connection

URLS = {
    "assistant_draft": ("get", "writer"),
    "assistant_draft_stream": ("post", "writer"),
    "assistant_draft_subjects": ("post", "writer"),
    "assistant_template_generate": ("get", "admin"),
    "api_assistant_draft": ("post", "api"),
    "api_assistant_template_generate": ("post", "api"),
}


def _contact(tenant):
    from shared_apps.accounts.models import Membership
    from tenant_apps.contacts.models import Contact

    owner = Membership.objects.get(tenant=tenant, role="owner").user
    return Contact.objects.create(first_name="Private", last_name="Person", email="private@secret.example", owner=owner)


def url_args(name, tenant):
    if name == "assistant_template_generate" or name == "api_assistant_template_generate":
        return ["email-reminder-en"]
    if name == "api_assistant_draft":
        return []
    connection.set_tenant(tenant)
    try:
        return ["contact", _contact(tenant).pk]
    finally:
        connection.set_schema_to_public()
