"""/api/v1/tasks/ (complete, reopen), /api/v1/activities/ (a record's timeline, logging),
/api/v1/custom-fields/ and /api/v1/tags/."""

import pytest

from tenant_apps.activities.models import Activity
from tenant_apps.contacts.models import Contact
from tenant_apps.records.models import CustomField
from tenant_apps.tasks.models import Task
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_task_crud_complete_reopen(api, owner, sales_rep, in_acme):
    contact = Contact.objects.create(first_name="T", owner=owner)
    created = _post(api, "/api/v1/tasks/", {"title": "Call back", "due_at": "2030-01-02T10:00:00Z",
                                            "priority": 3, "contact": contact.pk, "assignee": sales_rep.pk})
    assert created.status_code == 201, created.content
    task = created.json()
    assert task["assignee"]["id"] == sales_rep.pk and task["contact"] == contact.pk
    url = f"/api/v1/tasks/{task['id']}/"
    assert _post(api, url + "complete/").json()["status"] == "done"
    assert _post(api, url + "reopen/").json()["status"] == "open"
    changed = api.patch(url, {"title": "Call back twice"}, content_type="application/json")
    assert changed.json()["title"] == "Call back twice"
    assert api.get("/api/v1/tasks/", {"assignee": sales_rep.pk, "status": "open"}).json()["results"][0]["id"] == task["id"]
    assert api.get("/api/v1/tasks/", {"priority": 1}).json()["results"] == []
    assert api.delete(url).status_code == 204
    assert not Task.objects.exists()


def test_task_validation_and_bad_filters(api, in_acme):
    two_links = _post(api, "/api/v1/tasks/", {"title": "x", "contact": 1, "company": 1})
    assert two_links.status_code == 400 and error_of(two_links)["code"] == "validation_error"
    no_title = _post(api, "/api/v1/tasks/", {"title": ""})
    assert "title" in error_of(no_title)["fields"]
    bad_filter = api.get("/api/v1/tasks/", {"due_at__gte": "soon"})
    assert bad_filter.status_code == 400 and "due_at__gte" in error_of(bad_filter)["fields"]


def test_task_list_queries_are_constant(api, owner, in_acme, django_assert_max_num_queries):
    Task.objects.bulk_create([Task(title=f"T{i}", assignee=owner, created_by=owner) for i in range(40)])
    api.get("/api/v1/tags/")
    with django_assert_max_num_queries(8):
        assert len(api.get("/api/v1/tasks/", {"size": 40}).json()["results"]) == 40


def test_restricted_rep_sees_only_their_tasks_and_timelines(api_for, owner, sales_rep, restricted):
    Task.objects.create(title="Theirs", assignee=owner, created_by=owner)
    mine = Task.objects.create(title="Mine", assignee=sales_rep, created_by=owner)
    client = api_for(sales_rep)
    assert [t["id"] for t in client.get("/api/v1/tasks/").json()["results"]] == [mine.pk]
    theirs = Contact.objects.create(first_name="Hidden", owner=owner)
    hidden = client.get("/api/v1/activities/", {"contact": theirs.pk})
    assert hidden.status_code == 400 and "contact" in error_of(hidden)["fields"]


def test_log_activities_and_page_the_timeline(api, owner, in_acme, django_assert_max_num_queries):
    contact = _post(api, "/api/v1/contacts/", {"first_name": "Tim"}).json()
    for i in range(4):
        created = _post(api, "/api/v1/activities/", {"kind": "note", "contact": contact["id"], "body": f"Note {i}"})
        assert created.status_code == 201, created.content
    call = _post(api, "/api/v1/activities/", {"kind": "call", "contact": contact["id"], "duration_minutes": 5,
                                               "outcome": "connected", "direction": "out"})
    assert call.json()["outcome"] == "connected"
    seen, url, params = [], "/api/v1/activities/", {"contact": contact["id"], "size": 2}
    while url:
        # key, membership, the contact (+ its e-mails, phones, tags), the page, its pivot
        with django_assert_max_num_queries(16):
            body = api.get(url, params).json()
        seen += [a["id"] for a in body["results"]]
        url, params = body["next"], None
    assert len(seen) == len(set(seen)) == Activity.objects.filter(contact_id=contact["id"]).count() == 6
    notes = api.get("/api/v1/activities/", {"contact": contact["id"], "kind": "note"}).json()["results"]
    assert len(notes) == 4
    empty = _post(api, "/api/v1/activities/", {"kind": "note", "contact": contact["id"], "body": " "})
    assert "body" in error_of(empty)["fields"]
    nowhere = _post(api, "/api/v1/activities/", {"kind": "note", "body": "x"})
    assert "record" in error_of(nowhere)["fields"]
    system = _post(api, "/api/v1/activities/", {"kind": "system", "contact": contact["id"]})
    assert system.status_code == 400


def test_read_only_member_reads_but_cannot_log(api_for, read_only, owner, in_acme):
    contact = Contact.objects.create(first_name="R", owner=owner)
    client = api_for(read_only)
    assert client.get("/api/v1/activities/", {"contact": contact.pk}).status_code == 200
    denied = _post(client, "/api/v1/activities/", {"kind": "note", "contact": contact.pk, "body": "x"})
    assert denied.status_code == 403
    assert not Activity.objects.filter(kind="note").exists()


def test_custom_fields_and_tags(api, in_acme, django_assert_max_num_queries):
    CustomField.objects.create(entity="deal", key="source_ref", label="Ref", field_type="text")
    CustomField.objects.create(entity="contact", key="shoe", label="Shoe", field_type="number")
    api.get("/api/v1/tags/")
    with django_assert_max_num_queries(8):
        fields = api.get("/api/v1/custom-fields/", {"entity": "contact"}).json()["results"]
    assert [f["key"] for f in fields] == ["shoe"]
    _post(api, "/api/v1/contacts/", {"first_name": "T", "tags": ["beta", "Alpha"]})
    with django_assert_max_num_queries(8):
        tags = api.get("/api/v1/tags/").json()["results"]
    assert [t["name"] for t in tags] == ["Alpha", "beta"]
    assert api.get("/api/v1/custom-fields/", {"entity": "planet"}).status_code == 400


def test_members_list_the_ids_to_use(api, owner, sales_rep, read_only, in_acme, django_assert_max_num_queries):
    api.get("/api/v1/tags/")
    with django_assert_max_num_queries(8):
        members = api.get("/api/v1/members/").json()["results"]
    by_email = {m["email"]: m for m in members}
    assert by_email[sales_rep.email] == {"id": sales_rep.pk, "email": sales_rep.email,
                                         "full_name": sales_rep.full_name, "role": "sales"}
    assert by_email[owner.email]["role"] == "owner"
    assert "charlie@globex.test" not in by_email
    assigned = _post(api, "/api/v1/tasks/", {"title": "For Sam", "assignee": by_email[sales_rep.email]["id"]})
    assert assigned.json()["assignee"]["id"] == sales_rep.pk


def test_change_and_remove_a_logged_entry(api, api_for, owner, sales_rep, in_acme):
    contact = Contact.objects.create(first_name="E", owner=owner)
    note = _post(api, "/api/v1/activities/", {"kind": "note", "contact": contact.pk, "body": "First"}).json()
    url = f"/api/v1/activities/{note['id']}/"
    assert api.get(url).json()["body"] == "First"
    changed = api.patch(url, {"body": "Second", "subject": "Re"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["body"] == "Second"
    emptied = api.patch(url, {"body": " "}, content_type="application/json")
    assert emptied.status_code == 400 and "body" in error_of(emptied)["fields"]
    # someone else's note: a sales rep may not change it
    assert api_for(sales_rep).delete(url).status_code == 403
    system = Activity.objects.filter(contact=contact, kind="system").first() or Activity.objects.create(
        kind="system", event="created", contact=contact, occurred_at=contact.created_at)
    assert api.delete(f"/api/v1/activities/{system.pk}/").status_code == 403
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404
