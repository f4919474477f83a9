"""Isolation-matrix rows for contacts, companies, deals, timelines, list tools and the
CRM settings (see tests/test_isolation.py). Every object is acme's, owned by its owner."""

from django.db import connection
from django.utils import timezone

URLS = {
    "contact_list": ("get", "member"),
    "contact_new": ("get", "writer"),
    "contact_duplicates": ("get", "writer"),
    "contact_detail": ("get", "member"),
    "contact_edit": ("get", "writer"),
    "contact_delete": ("post", "writer"),
    "contact_merge": ("get", "writer"),
    "contact_export_data": ("get", "member"),
    "contact_erase": ("get", "manager"),
    "company_list": ("get", "member"),
    "company_new": ("get", "writer"),
    "company_lookup": ("get", "member"),
    "company_duplicates": ("get", "writer"),
    "company_detail": ("get", "member"),
    "company_edit": ("get", "writer"),
    "company_delete": ("post", "writer"),
    "company_merge": ("get", "writer"),
    "deal_list": ("get", "member"),
    "deal_board": ("get", "member"),
    "deal_board_more": ("get", "member"),
    "deal_new": ("get", "writer"),
    "deal_detail": ("get", "member"),
    "deal_edit": ("get", "writer"),
    "deal_quick_edit": ("post", "writer"),
    "deal_move": ("post", "writer"),
    "deal_won": ("post", "writer"),
    "deal_lost": ("post", "writer"),
    "deal_reopen": ("post", "writer"),
    "deal_delete": ("post", "writer"),
    "activity_log": ("post", "writer"),
    "timeline_more": ("get", "member"),
    "timeline_export": ("get", "member"),
    "activity_edit": ("get", "writer"),
    "activity_delete": ("post", "writer"),
    "records_bulk": ("post", "writer"),
    "records_inline": ("post", "writer"),
    "records_quick_create": ("get", "writer"),
    "saved_view_save": ("post", "member"),
    "saved_view_delete": ("post", "writer"),
    "settings_fields": ("get", "admin"),
    "settings_fields_reorder": ("post", "admin"),
    "settings_field_edit": ("get", "admin"),
    "settings_field_delete": ("get", "admin"),
    "settings_visibility": ("get", "admin"),
    "settings_pipelines": ("get", "manager"),
    "settings_pipeline": ("get", "manager"),
    "settings_pipeline_delete": ("post", "manager"),
    "settings_stage_add": ("post", "manager"),
    "settings_stages_reorder": ("post", "manager"),
    "settings_stage_edit": ("post", "manager"),
    "settings_stage_delete": ("get", "manager"),
}


def _objects(tenant):
    from shared_apps.accounts.models import Membership
    from tenant_apps.activities.models import Activity
    from tenant_apps.companies.models import Company
    from tenant_apps.contacts.models import Contact
    from tenant_apps.deals.models import Deal, Pipeline
    from tenant_apps.records.models import CustomField, SavedView

    owner = Membership.objects.get(tenant=tenant, role="owner").user
    company = Company.objects.create(name="Secret Holdings", owner=owner)
    contact = Contact.objects.create(first_name="Private", last_name="Person", email="private@secret.example",
                                     owner=owner, company=company)
    pipeline = Pipeline.objects.get(is_default=True)
    stage = pipeline.stages.filter(kind="open").first()
    deal = Deal.objects.create(title="Secret deal", pipeline=pipeline, stage=stage, owner=owner, company=company)
    note = Activity.objects.create(kind="note", body="Confidential note", contact=contact, author=owner,
                                   occurred_at=timezone.now())
    field, _created = CustomField.objects.get_or_create(entity="contact", key="secret_code",
                                                        defaults={"label": "Secret code", "field_type": "text"})
    view = SavedView.objects.create(entity="contact", name="Owner's view", owner=owner, query="q=secret")
    return {"contact": contact, "company": company, "deal": deal, "pipeline": pipeline, "stage": stage,
            "note": note, "field": field, "view": view}


ARGS = {
    "contact_detail": lambda o: [o["contact"].pk],
    "contact_edit": lambda o: [o["contact"].pk],
    "contact_delete": lambda o: [o["contact"].pk],
    "contact_merge": lambda o: [o["contact"].pk],
    "contact_export_data": lambda o: [o["contact"].pk],
    "contact_erase": lambda o: [o["contact"].pk],
    "company_detail": lambda o: [o["company"].pk],
    "company_edit": lambda o: [o["company"].pk],
    "company_delete": lambda o: [o["company"].pk],
    "company_merge": lambda o: [o["company"].pk],
    "deal_board_more": lambda o: [o["stage"].pk],
    "deal_detail": lambda o: [o["deal"].pk],
    "deal_edit": lambda o: [o["deal"].pk],
    "deal_quick_edit": lambda o: [o["deal"].pk],
    "deal_move": lambda o: [o["deal"].pk],
    "deal_won": lambda o: [o["deal"].pk],
    "deal_lost": lambda o: [o["deal"].pk],
    "deal_reopen": lambda o: [o["deal"].pk],
    "deal_delete": lambda o: [o["deal"].pk],
    "activity_log": lambda o: ["contact", o["contact"].pk],
    "timeline_more": lambda o: ["contact", o["contact"].pk],
    "timeline_export": lambda o: ["contact", o["contact"].pk],
    "activity_edit": lambda o: [o["note"].pk],
    "activity_delete": lambda o: [o["note"].pk],
    "records_bulk": lambda o: ["contact"],
    "records_inline": lambda o: ["contact", o["contact"].pk],
    "records_quick_create": lambda o: ["contact"],
    "saved_view_save": lambda o: ["contact"],
    "saved_view_delete": lambda o: [o["view"].pk],
    "settings_field_edit": lambda o: [o["field"].pk],
    "settings_field_delete": lambda o: [o["field"].pk],
    "settings_pipeline": lambda o: [o["pipeline"].pk],
    "settings_pipeline_delete": lambda o: [o["pipeline"].pk],
    "settings_stage_add": lambda o: [o["pipeline"].pk],
    "settings_stages_reorder": lambda o: [o["pipeline"].pk],
    "settings_stage_edit": lambda o: [o["stage"].pk],
    "settings_stage_delete": lambda o: [o["stage"].pk],
}


def url_args(name, tenant):
    if name not in ARGS:
        return []
    connection.set_tenant(tenant)
    try:
        return ARGS[name](_objects(tenant))
    finally:
        connection.set_schema_to_public()
