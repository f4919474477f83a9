"""Tasks through a real Celery worker and the real Redis broker: a task runs in the
schema it was queued from, and queued mail is delivered over SMTP."""

import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection, transaction

from config.celery import app

seen: list = []
seen_lock = threading.Lock()


@app.task
def record_schema_task(marker):
    with seen_lock:
        seen.append((marker, connection.schema_name))


@pytest.fixture
def worker(django_db_setup, django_db_blocker):
    app.conf.task_always_eager = False
    with django_db_blocker.unblock():
        with start_worker(app, pool="threads", concurrency=1, perform_ping_check=False, shutdown_timeout=10):
            yield
    app.conf.task_always_eager = True


def _wait(predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_a_task_runs_in_the_schema_it_was_queued_from(worker):
    from tenants.models import Tenant
    from tenants.queueing import task_enqueue_on_commit

    acme = Tenant.objects.get(slug="acme")
    connection.set_tenant(acme)
    with transaction.atomic():
        task_enqueue_on_commit(record_schema_task, "from-acme")
        connection.set_schema_to_public()  # leaving the schema before commit changes nothing
    task_enqueue_on_commit(record_schema_task, "from-public")
    assert _wait(lambda: len(seen) >= 2)
    assert dict(seen) == {"from-acme": "t_acme", "from-public": "public"}


def test_mail_goes_through_the_worker(worker, _smtp_server):
    from django.core.mail import send_mail

    from shared_apps.outbox.models import OutboxMessage

    with _smtp_server.lock:
        _smtp_server.messages.clear()
    try:
        with transaction.atomic():
            send_mail("Through the worker", "x", "from@tessera.test", ["worker@example.com"])
        assert _wait(lambda: any(m["Subject"] == "Through the worker" for m in _smtp_server.messages))
        assert _wait(lambda: OutboxMessage.objects.filter(status="sent", payload__subject="Through the worker").exists())
    finally:
        OutboxMessage.objects.filter(payload__subject="Through the worker").delete()
