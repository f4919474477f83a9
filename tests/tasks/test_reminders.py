"""Reminders at due time: beat's dispatcher sends due jobs to task_reminders_send_task,
which claims each task once, notifies its assignee in the app and by e-mail (through the
outbox), in their language, and removes the job."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from shared_apps.accounts.models import Membership, User
from tenant_apps.notifications.models import Notification
from tenant_apps.tasks.models import Task
from tenant_apps.tasks.services import task_complete, task_create, task_reminders_send, task_update
from tenant_apps.tasks.tasks import task_reminders_send_task
from tenants import scheduling
from tenants.models import ScheduledJob
from tests.helpers import link_in

pytestmark = pytest.mark.django_db


def reminders(messages):
    return [m for m in messages if str(m["Subject"]).startswith(("Reminder:", "Напомняне"))]


def dispatch(tenant, capture):
    """One beat tick: the dispatcher in the public schema, its queued handlers after commit."""
    connection.set_schema_to_public()
    with capture(execute=True):
        with transaction.atomic():
            count = scheduling.scheduled_jobs_dispatch()
    connection.set_tenant(tenant)
    return count


@pytest.fixture
def due_task(in_acme, owner, sales_rep, contact):
    return task_create(actor=owner, data={
        "title": "Call Ivan back", "description": "About the offer", "assignee": sales_rep.pk, "contact": contact,
        "due_at": timezone.now() - timedelta(minutes=1), "priority": Task.Priority.HIGH,
    })


def test_the_handler_is_registered_for_task_reminders():
    assert scheduling._handlers["task_reminder"] is task_reminders_send_task


def test_dispatched_twice_one_email_and_one_notification(due_task, in_acme, sales_rep, mailbox,
                                                         django_capture_on_commit_callbacks):
    # given a task that fell due a minute ago
    assert ScheduledJob.objects.filter(kind="task_reminder", object_id=due_task.pk).exists()
    # when beat ticks twice and the handler is delivered twice more (a redelivered message)
    assert dispatch(in_acme, django_capture_on_commit_callbacks) == 1
    assert Notification.objects.filter(user=sales_rep).count() == 1  # the handler ran, in acme's schema
    assert not ScheduledJob.objects.filter(kind="task_reminder", object_id=due_task.pk).exists()
    # (a job dispatched and lost is dispatched again later: make it due again by hand)
    ScheduledJob.objects.create(tenant=in_acme, kind="task_reminder", object_id=due_task.pk, due_at=timezone.now())
    assert dispatch(in_acme, django_capture_on_commit_callbacks) == 1
    task_reminders_send_task.apply(kwargs={"object_ids": [due_task.pk]}, headers={"_schema_name": "t_acme"})
    connection.set_tenant(in_acme)
    assert task_reminders_send(task_ids=[due_task.pk]) == []
    # then one e-mail, one notification, and the job is gone
    assert len(reminders(mailbox())) == 1
    assert Notification.objects.filter(user=sales_rep, kind="task_reminder").count() == 1
    assert not ScheduledJob.objects.filter(kind="task_reminder", object_id=due_task.pk).exists()
    due_task.refresh_from_db()
    assert due_task.reminder_sent_at is not None


def test_the_email_and_the_notification(due_task, in_acme, sales_rep, mailbox):
    task_reminders_send(task_ids=[due_task.pk])
    [message] = reminders(mailbox())
    assert message["Subject"] == "Reminder: Call Ivan back"
    assert message["To"] == sales_rep.email
    assert message["Content-Language"] == "en"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Call Ivan back" in text and "About the offer" in text and "Ivan Petrov" in text and "High" in text
    assert link_in(message, r"http://acme\.localhost[^\s]*/tasks/\d+/").endswith(f"/tasks/{due_task.pk}/")
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f"/tasks/{due_task.pk}/" in html and "Open the task" in html
    notification = Notification.objects.get(user=sales_rep)
    assert notification.title == "Task due: Call Ivan back"
    assert notification.url == f"/tasks/{due_task.pk}/" and notification.read_at is None
    assert "Ivan Petrov" in notification.body


def test_due_time_is_written_in_the_workspace_zone(in_acme, owner, mailbox):
    from tenant_apps.workspace.models import WorkspaceProfile

    WorkspaceProfile.objects.update(timezone="Asia/Tokyo")
    task = task_create(actor=owner, data={"title": "Tokyo call", "due_at": datetime(2024, 3, 15, 1, 30, tzinfo=UTC)})
    task_reminders_send(task_ids=[task.pk])
    [message] = reminders(mailbox())
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "10:30" in text and "Asia/Tokyo" in text


@pytest.mark.parametrize("where", ["user", "workspace"])
def test_the_email_is_in_the_recipients_language(where, in_acme, owner, sales_rep, mailbox):
    from tenant_apps.workspace.models import WorkspaceProfile

    if where == "user":
        User.objects.filter(pk=sales_rep.pk).update(language="bg")
    else:
        WorkspaceProfile.objects.update(default_language="bg")
    due = datetime(2024, 3, 15, 10, 0, tzinfo=UTC)
    task = task_create(actor=owner, data={"title": "Обаждане", "assignee": sales_rep.pk, "due_at": due})
    task_reminders_send(task_ids=[task.pk])
    [message] = reminders(mailbox())
    assert message["Content-Language"] == "bg"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "март" in text.lower() and "March" not in text  # Django's own Bulgarian month names


def test_the_owner_language_stays_english(due_task, in_acme, owner, sales_rep, mailbox):
    User.objects.filter(pk=owner.pk).update(language="bg")
    task_reminders_send(task_ids=[due_task.pk])
    [message] = reminders(mailbox())
    assert message["Content-Language"] == "en"  # Sam's language, not the creator's


def test_a_due_time_in_the_past_is_picked_up_at_the_next_tick(in_acme, owner):
    task = task_create(actor=owner, data={"title": "Yesterday", "due_at": timezone.now() - timedelta(days=1)})
    connection.set_schema_to_public()
    due = ScheduledJob.objects.filter(due_at__lte=timezone.now(), kind="task_reminder", object_id=task.pk)
    assert due.exists()


def test_nothing_is_sent_for_a_completed_or_deleted_task(due_task, in_acme, sales_rep, mailbox):
    task_complete(task=due_task, actor=sales_rep)
    # a message queued before the task was completed still arrives
    assert task_reminders_send(task_ids=[due_task.pk, 999999]) == []
    assert reminders(mailbox()) == []
    assert not Notification.objects.exists()


def test_a_moved_due_time_keeps_its_job_and_reminds_later(due_task, in_acme, owner, sales_rep, mailbox):
    later = timezone.now() + timedelta(hours=3)
    task_update(task=due_task, actor=owner, data={"due_at": later})
    # a stale delivery for the old due time
    assert task_reminders_send(task_ids=[due_task.pk]) == []
    assert ScheduledJob.objects.get(kind="task_reminder", object_id=due_task.pk).due_at == later
    # at the new time it goes out
    assert task_reminders_send(task_ids=[due_task.pk], now=later) == [due_task.pk]
    assert len(reminders(mailbox())) == 1


def test_a_new_due_time_after_a_reminder_earns_another(due_task, in_acme, owner, mailbox):
    task_reminders_send(task_ids=[due_task.pk])
    due_task.refresh_from_db()
    task_update(task=due_task, actor=owner, data={"due_at": timezone.now() - timedelta(seconds=5)})
    task_reminders_send(task_ids=[due_task.pk])
    assert len(reminders(mailbox())) == 2


def test_an_unassigned_task_reminds_its_creator(in_acme, owner, mailbox):
    task = task_create(actor=owner, data={"title": "Nobody's", "due_at": timezone.now()})
    Task.objects.filter(pk=task.pk).update(assignee=None)
    task_reminders_send(task_ids=[task.pk])
    [message] = reminders(mailbox())
    assert message["To"] == owner.email
    assert "you created the task" in message.get_body(preferencelist=("plain",)).get_content()


def test_someone_who_left_the_workspace_gets_nothing(due_task, in_acme, sales_rep, mailbox):
    Membership.objects.filter(user=sales_rep, tenant=in_acme).delete()
    assert task_reminders_send(task_ids=[due_task.pk]) == [due_task.pk]  # claimed, not retried forever
    assert reminders(mailbox()) == []
    assert not Notification.objects.exists()
    assert not ScheduledJob.objects.filter(kind="task_reminder", object_id=due_task.pk).exists()
