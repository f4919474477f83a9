"""The e-mail outbox: written in the caller's transaction, delivered once over SMTP,
kept when Redis is down and swept later."""

import pytest
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction

from shared_apps.outbox.models import OutboxMessage
from shared_apps.outbox.services import outbox_deliver, outbox_sweep


@pytest.mark.django_db
class TestOutbox:
    def test_a_sent_mail_is_a_row_until_delivered(self, mailbox):
        send_mail("Hello", "Body", "from@tessera.test", ["to@example.com"])
        row = OutboxMessage.objects.get()
        assert row.status == "pending" and row.payload["to"] == ["to@example.com"]
        [message] = mailbox()
        assert message["Subject"] == "Hello"
        assert message["Message-ID"] == f"<{row.id}@tessera.outbox>"
        row.refresh_from_db()
        assert row.status == "sent" and row.attempts == 1

    def test_html_and_attachments_survive_the_round_trip(self, mailbox):
        message = EmailMultiAlternatives("Invoice", "Plain", "from@tessera.test", ["to@example.com"])
        message.attach_alternative("<p>Хтмл</p>", "text/html")
        message.attach("invoice.pdf", b"%PDF-1.7 binary\x00\xff", "application/pdf")
        message.send()
        [received] = mailbox()
        assert received.get_body(preferencelist=("html",)).get_content().strip() == "<p>Хтмл</p>"
        attachment = next(received.iter_attachments())
        assert attachment.get_filename() == "invoice.pdf"
        assert attachment.get_content() == b"%PDF-1.7 binary\x00\xff"

    def test_a_rolled_back_transaction_sends_nothing(self, mailbox):
        with pytest.raises(RuntimeError), transaction.atomic():
            send_mail("Never", "x", "from@tessera.test", ["to@example.com"])
            raise RuntimeError
        assert not OutboxMessage.objects.exists()
        assert mailbox() == []

    def test_delivery_happens_once_even_if_asked_twice(self, mailbox):
        send_mail("Once", "x", "from@tessera.test", ["to@example.com"])
        row = OutboxMessage.objects.get()
        assert outbox_deliver(message_id=row.id) is True
        assert outbox_deliver(message_id=row.id) is False
        assert len(mailbox()) == 1

    def test_queueing_after_commit_delivers_through_celery(self, mailbox, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            send_mail("Queued", "x", "from@tessera.test", ["to@example.com"])
        assert OutboxMessage.objects.get().status == "sent"

    def test_a_redis_outage_loses_nothing(self, mailbox, django_capture_on_commit_callbacks, monkeypatch):
        from shared_apps.outbox import tasks

        def broker_down(*args, **kwargs):
            raise ConnectionError("Redis is down")

        monkeypatch.setattr(tasks.outbox_deliver_task, "apply_async", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            send_mail("Later", "x", "from@tessera.test", ["to@example.com"])
        assert OutboxMessage.objects.get().status == "pending"
        [message] = mailbox()  # the sweep
        assert message["Subject"] == "Later"

    def test_smtp_failures_back_off_and_give_up(self, settings):
        settings.EMAIL_PORT = 1  # nothing listens there
        settings.OUTBOX_MAX_ATTEMPTS = 2
        send_mail("Fails", "x", "from@tessera.test", ["to@example.com"])
        row = OutboxMessage.objects.get()
        assert outbox_deliver(message_id=row.id) is False
        row.refresh_from_db()
        assert row.status == "pending" and row.attempts == 1 and "Connection" in row.last_error
        assert outbox_sweep(older_than_seconds=-60) == 0  # not due yet
        OutboxMessage.objects.update(next_attempt_at=row.created_at)
        outbox_sweep(older_than_seconds=-60)
        row.refresh_from_db()
        assert row.status == "failed" and row.attempts == 2
