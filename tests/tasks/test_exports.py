"""Export of a task list: the list's tasks and filters, every page, CSV or XLSX, for
managers and up, formulas neutralised, written to the security log."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from shared_apps.audit.models import SecurityEvent
from tenant_apps.tasks.services import task_complete, task_create

pytestmark = pytest.mark.django_db


def make(actor, **data):
    return task_create(actor=actor, data={"title": "Call back", **data})


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_overdue_list_as_csv(client_for, owner, contact, django_assert_max_num_queries):
    # given
    late = make(owner, title="=HYPERLINK(\"http://evil.example\")", due_at=timezone.now() - timedelta(days=1),
                contact=contact.pk)
    make(owner, title="Not late yet", due_at=timezone.now() + timedelta(days=3))
    client = client_for(owner)
    # when
    response = client.get("/tasks/export/overdue/?format=csv")
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = csv_rows(response)
    assert header[:3] == ["Title", "Status", "Priority"]
    assert [row[0] for row in rows] == ["'" + late.title]
    assert rows[0][5] == str(contact)
    assert SecurityEvent.objects.filter(kind="data_exported", data__what="task_list").exists()


def test_filters_apply_and_xlsx_keeps_dates(client_for, owner, sales_rep):
    # given
    due = timezone.now() + timedelta(days=2)
    make(owner, title="Urgent one", priority=4, due_at=due)
    make(owner, title="Normal one", priority=2, due_at=due)
    done = make(owner, title="Done one")
    task_complete(task=done, actor=owner)
    client = client_for(owner)
    # when
    response = client.get("/tasks/export/all/?priority=4&format=xlsx")
    # then
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert [r[0] for r in rows[1:]] == ["Urgent one"]
    assert hasattr(rows[1][3], "year")  # the due date stays a date


def test_query_count_does_not_grow_with_tasks(client_for, owner, django_assert_max_num_queries):
    for i in range(30):
        make(owner, title=f"Task {i}")
    client = client_for(owner)
    with django_assert_max_num_queries(25):
        response = client.get("/tasks/export/mine/?format=csv")
        assert len(csv_rows(response)) == 31


def test_sales_reps_and_bad_input_get_nothing(client_for, owner, sales_rep):
    make(owner, title="Secret plan")
    rep = client_for(sales_rep)
    assert rep.get("/tasks/export/all/?format=csv").status_code == 403
    manager = client_for(owner)
    assert manager.get("/tasks/export/nowhere/?format=csv").status_code == 404
    response = manager.get("/tasks/export/mine/?format=pdf")
    assert response.status_code == 302 and response["Location"].startswith("/tasks/")


def test_the_list_page_offers_export_to_managers_only(client_for, owner, sales_rep):
    assert "/tasks/export/mine/" in client_for(owner).get("/tasks/").content.decode()
    assert "/tasks/export/" not in client_for(sales_rep).get("/tasks/").content.decode()
