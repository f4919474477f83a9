"""The timeline and tasks (with reminders scheduled in the public schema)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tenant_apps.activities.models import Activity
from tenant_apps.activities.selectors import timeline_for
from tenant_apps.activities.services import activity_delete, activity_log, activity_update
from tenant_apps.companies.services import company_create
from tenant_apps.contacts.services import contact_create
from tenant_apps.records.errors import RecordPermissionError, RecordValidationError
from tenant_apps.tasks.models import Task
from tenant_apps.tasks.services import task_complete, task_create, task_delete, task_reopen, task_update
from tenants.models import ScheduledJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(in_acme, owner):
    company = company_create(actor=owner, data={"name": "Acme"})
    return contact_create(actor=owner, data={"first_name": "Ivan", "company": company})


class TestTimeline:
    def test_markdown_is_sanitised(self, contact, owner):
        note = activity_log(actor=owner, kind="note", contact=contact,
                            body="**Hi** <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://example.com)")
        assert "<strong>Hi</strong>" in note.body_html
        assert "<script>" not in note.body_html and "javascript:" not in note.body_html
        assert 'href="https://example.com"' in note.body_html and 'rel="noopener noreferrer nofollow"' in note.body_html

    def test_a_note_on_a_contact_is_also_on_its_company_timeline(self, contact, owner):
        note = activity_log(actor=owner, kind="note", contact=contact, body="hello")
        assert note.company == contact.company
        assert note in timeline_for(user=owner, company=contact.company)
        contact.refresh_from_db()
        assert contact.last_activity_at == note.occurred_at

    def test_filter_by_kind_and_page(self, contact, owner):
        for i in range(5):
            activity_log(actor=owner, kind="call", contact=contact, subject=f"call {i}",
                         occurred_at=timezone.now() - timedelta(minutes=i))
        activity_log(actor=owner, kind="note", contact=contact, body="note")
        calls = list(timeline_for(user=owner, contact=contact, kinds=["call"], limit=2))
        assert [c.subject for c in calls] == ["call 0", "call 1"]
        more = list(timeline_for(user=owner, contact=contact, kinds=["call"], before_id=calls[-1].pk, limit=10))
        assert [c.subject for c in more] == ["call 2", "call 3", "call 4"]

    @pytest.mark.parametrize("kind, body", [("note", "   "), ("system", "x"), ("fax", "x")])
    def test_bad_activities(self, contact, owner, kind, body):
        with pytest.raises(RecordValidationError):
            activity_log(actor=owner, kind=kind, contact=contact, body=body)

    def test_only_the_author_or_a_manager_edits_and_system_events_never(self, contact, owner, sales_rep):
        note = activity_log(actor=owner, kind="note", contact=contact, body="mine")
        with pytest.raises(RecordPermissionError):
            activity_update(activity=note, actor=sales_rep, body="hacked")
        activity_update(activity=note, actor=owner, body="edited *now*")
        assert "<em>now</em>" in Activity.objects.get(pk=note.pk).body_html
        created = Activity.objects.get(contact=contact, event="created")
        with pytest.raises(RecordPermissionError):
            activity_delete(activity=created, actor=owner)


class TestTasks:
    def test_due_task_gets_a_reminder_scheduled_and_done_cancels_it(self, contact, owner, sales_rep, tenant_a):
        due = timezone.now() + timedelta(hours=2)
        task = task_create(actor=owner, data={"title": "Call back", "due_at": due, "assignee": sales_rep.pk, "contact": contact})
        job = ScheduledJob.objects.get(kind="task_reminder", object_id=task.pk)
        assert job.tenant_id == tenant_a.pk and job.due_at == due
        task_complete(task=task, actor=sales_rep)
        assert not ScheduledJob.objects.filter(object_id=task.pk).exists()
        task_reopen(task=task, actor=sales_rep)
        assert ScheduledJob.objects.filter(object_id=task.pk).exists()
        task_delete(task=task, actor=owner)
        assert not ScheduledJob.objects.filter(object_id=task.pk).exists()

    def test_a_new_due_time_earns_a_new_reminder(self, contact, owner):
        task = task_create(actor=owner, data={"title": "x", "due_at": timezone.now()})
        Task.objects.filter(pk=task.pk).update(reminder_sent_at=timezone.now())
        task.refresh_from_db()
        task_update(task=task, actor=owner, data={"due_at": timezone.now() + timedelta(days=1)})
        task.refresh_from_db()
        assert task.reminder_sent_at is None
        assert ScheduledJob.objects.filter(object_id=task.pk).exists()

    def test_one_linked_record_at_most(self, contact, owner):
        with pytest.raises(RecordValidationError) as error:
            task_create(actor=owner, data={"title": "x", "contact": contact, "company": contact.company})
        assert "record" in error.value.errors

    def test_read_only_cannot_create_but_may_complete_what_is_theirs(self, contact, owner, read_only):
        with pytest.raises(RecordPermissionError):
            task_create(actor=read_only, data={"title": "x"})
        task = task_create(actor=owner, data={"title": "x", "assignee": read_only.pk})
        task_complete(task=task, actor=read_only)

    def test_dispatch_sends_due_jobs_to_their_workspace(self, contact, owner, tenant_a, monkeypatch):
        from tenants import scheduling

        sent = []

        class FakeTask:
            name = "fake"

            def apply_async(self, args=(), kwargs=None, headers=None):
                sent.append((kwargs["object_ids"], headers["_schema_name"]))

        monkeypatch.setitem(scheduling._handlers, "task_reminder", FakeTask())
        task = task_create(actor=owner, data={"title": "x", "due_at": timezone.now() - timedelta(minutes=1)})
        task_create(actor=owner, data={"title": "later", "due_at": timezone.now() + timedelta(hours=1)})
        connection.set_schema_to_public()
        from django.test.utils import CaptureQueriesContext  # noqa: F401

        from django.db import transaction

        with transaction.atomic():
            assert scheduling.scheduled_jobs_dispatch() == 1
        # on_commit does not fire inside the test transaction; run the callbacks by hand
        for callback in list(connection.run_on_commit):
            callback[1]()
        assert sent == [([task.pk], "t_acme")]
        assert scheduling.scheduled_jobs_dispatch() == 0  # dispatched, not yet done
