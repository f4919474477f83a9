"""Exports of a filtered list: the list's rows and columns, CSV (with BOM) and XLSX (typed
cells), formula injection neutralised, managers only, written to the security log."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenant_apps.records.exports import spreadsheet_safe

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(in_acme, owner, sales_rep):
    from tenant_apps.contacts.models import Contact
    from tenant_apps.records.settings_services import custom_field_create

    custom_field_create(actor=owner, entity="contact", label="Budget", field_type="number")
    custom_field_create(actor=owner, entity="contact", label="Renewal", field_type="date")
    return [
        Contact.objects.create(first_name="Иван", last_name="Петров", email="ivan@example.bg", city="София",
                               lifecycle_stage="lead", owner=owner, custom={"budget": 1500, "renewal": "2026-03-01"}),
        Contact.objects.create(first_name="=HYPERLINK(\"http://evil\")", last_name="-2+3", email="x@example.com",
                               city="@SUM(A1)", lifecycle_stage="customer", owner=sales_rep, custom={"budget": -5}),
        Contact.objects.create(first_name="Anna", last_name="Smith", lifecycle_stage="lead", owner=sales_rep,
                               job_title="\tTabbed"),
    ]


def rows_of(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def workbook(response):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(response.content)).active


@pytest.mark.parametrize("text, expected", [
    ("=1+2", "'=1+2"), ("+359", "'+359"), ("-x", "'-x"), ("@a", "'@a"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("plain", "plain"), ("a=b", "a=b"), ("", ""),
])
def test_spreadsheet_safe(text, expected):
    assert spreadsheet_safe(text) == expected


def test_csv_has_the_lists_rows_and_columns(people, client_for, owner):
    # when: the list filtered to leads, sorted by name
    response = client_for(owner).get("/records/export/contact/", {"lifecycle_stage": "lead", "sort": "name",
                                                                  "format": "csv"})
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="contacts-' in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0] == ["Name", "E-mail", "Phone", "Company", "Lifecycle stage", "Owner", "Tags", "Last activity"]
    assert [r[0] for r in rows[1:]] == ["Anna Smith", "Иван Петров"]
    assert rows[2][1] == "ivan@example.bg" and rows[2][4] == "Lead"


def test_chosen_and_custom_columns(people, client_for, owner):
    rows = rows_of(client_for(owner).get("/records/export/contact/", {
        "cols": "name,city,cf_budget,cf_renewal", "sort": "name", "format": "csv"}))
    assert rows[0] == ["Name", "City", "Budget", "Renewal"]
    assert rows[1] == ["'=HYPERLINK(\"http://evil\") -2+3", "'@SUM(A1)", "-5", ""]
    assert rows[3] == ["Иван Петров", "София", "1500", "2026-03-01"]


def test_formulas_are_neutralised(people, client_for, owner):
    rows = rows_of(client_for(owner).get("/records/export/contact/", {"columns": "all", "format": "csv"}))
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells if cell != "-5")
    assert "'=HYPERLINK(\"http://evil\") -2+3" in cells
    assert "'\tTabbed" in cells


def test_every_column(people, client_for, owner):
    rows = rows_of(client_for(owner).get("/records/export/contact/", {"columns": "all", "format": "csv"}))
    assert {"Job title", "Source", "City", "Country", "Created", "Budget", "Renewal"} <= set(rows[0])
    assert len(rows) == 4


def test_search_and_owner_filters(people, client_for, owner, sales_rep):
    rows = rows_of(client_for(owner).get("/records/export/contact/", {"q": "ива", "format": "csv"}))
    assert [r[0] for r in rows[1:]] == ["Иван Петров"]
    rows = rows_of(client_for(owner).get("/records/export/contact/", {"owner": str(sales_rep.pk), "format": "csv"}))
    assert len(rows) == 3


def test_a_saved_views_query_string_exports_the_same(people, client_for, owner):
    from tenant_apps.records.models import SavedView

    view = SavedView.objects.create(entity="contact", name="Leads", owner=owner, query="lifecycle_stage=lead")
    page = client_for(owner).get("/contacts/", {"view": view.pk}).content.decode()
    assert "/records/export/contact/?lifecycle_stage=lead&amp;format=csv" in page


def test_xlsx_keeps_numbers_and_dates(people, client_for, owner):
    response = client_for(owner).get("/records/export/contact/", {
        "cols": "name,created_at,cf_budget,cf_renewal", "sort": "name", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = workbook(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Name", "Created", "Budget", "Renewal")
    ivan = rows[3]
    assert ivan[0] == "Иван Петров"
    assert isinstance(ivan[1], datetime.datetime)
    assert ivan[2] == 1500 and isinstance(ivan[2], int | float)
    assert ivan[3] == datetime.datetime(2026, 3, 1)
    assert rows[1][0] == "'=HYPERLINK(\"http://evil\") -2+3"
    assert rows[1][2] == -5
    # no cell is a formula
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_deal_amounts_are_numbers_with_their_currency(in_acme, client_for, owner):
    from tenant_apps.deals.models import Deal, Pipeline

    pipeline = Pipeline.objects.get(is_default=True)
    Deal.objects.create(title="Big one", pipeline=pipeline, stage=pipeline.stages.filter(kind="open").first(),
                        owner=owner, amount=Decimal("1234.50"), currency="BGN")
    sheet = workbook(client_for(owner).get("/records/export/deal/", {"cols": "title,amount", "format": "xlsx"}))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Title", "Amount", "Currency")
    assert rows[1] == ("Big one", 1234.5, "BGN")
    csv_rows = rows_of(client_for(owner).get("/records/export/deal/", {"cols": "title,amount", "format": "csv"}))
    assert csv_rows[1] == ["Big one", "1234.50", "BGN"]


def test_companies_export(in_acme, client_for, owner):
    from tenant_apps.companies.models import Company

    Company.objects.create(name="Иванови ООД", city="Пловдив", owner=owner)
    response = client_for(owner).get("/records/export/company/", {"format": "xlsx"})
    assert 'filename="companies-' in response["Content-Disposition"]
    assert list(workbook(response).iter_rows(values_only=True))[1][0] == "Иванови ООД"


def test_restricted_manager_view_is_everything_but_a_rep_cannot_export(people, restricted, client_for, owner,
                                                                       sales_rep, read_only):
    assert len(rows_of(client_for(owner).get("/records/export/contact/", {"format": "csv"}))) == 4
    assert client_for(sales_rep).get("/records/export/contact/", {"format": "csv"}).status_code == 403
    assert client_for(read_only).get("/records/export/contact/", {"format": "xlsx"}).status_code == 403


def test_the_button_shows_for_managers_only(people, client_for, owner, sales_rep):
    assert "/records/export/contact/?format=csv" in client_for(owner).get("/contacts/").content.decode()
    assert "/records/export/contact/" not in client_for(sales_rep).get("/contacts/").content.decode()
    page = client_for(owner).get("/contacts/", {"lifecycle_stage": "lead"}).content.decode()
    assert "/records/export/contact/?lifecycle_stage=lead&amp;format=xlsx" in page


def test_the_export_is_in_the_security_log(people, client_for, owner, tenant_a):
    from shared_apps.audit.models import SecurityEvent

    client_for(owner).get("/records/export/contact/", {"lifecycle_stage": "lead", "format": "xlsx"})
    event = SecurityEvent.objects.filter(kind="data_exported").latest("pk")
    assert (event.actor_id, event.tenant_id) == (owner.pk, tenant_a.pk)
    assert event.data == {"what": "contact_list", "format": "xlsx", "query": "lifecycle_stage=lead"}


def test_bad_input(people, client_for, owner):
    client = client_for(owner)
    response = client.get("/records/export/contact/", {"format": "pdf", "lifecycle_stage": "lead"})
    assert response.status_code == 302 and response["Location"] == "/contacts/?lifecycle_stage=lead"
    assert "Choose CSV or Excel" in client.get(response["Location"]).content.decode()
    assert client.get("/records/export/planet/", {"format": "csv"}).status_code == 404
    # unknown filters are ignored, as in the list
    rows = rows_of(client.get("/records/export/contact/", {"bogus": "1", "created_at__gte": "soon", "format": "csv"}))
    assert len(rows) == 4


def test_queries_do_not_grow_with_rows(people, client_for, owner):
    from tenant_apps.contacts.models import Contact
    from tenant_apps.records.models import Tag

    client = client_for(owner)
    tag = Tag.objects.create(name="vip")

    def selects(file_format):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/records/export/contact/", {"columns": "all", "format": file_format})
            if file_format == "csv":
                b"".join(response.streaming_content)
        return len([q for q in captured.captured_queries if not q["sql"].startswith(("SET ", "SAVEPOINT", "RELEASE"))])

    selects("csv")
    before = {f: selects(f) for f in ("csv", "xlsx")}
    made = Contact.objects.bulk_create([Contact(first_name=f"P{i}", owner=owner) for i in range(40)])
    for contact in made:
        contact.tags.add(tag)
    assert {f: selects(f) for f in ("csv", "xlsx")} == before
