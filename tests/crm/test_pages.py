"""The CRM's pages end to end through the test client: contacts, companies and deals
forms, record pages, lists (bulk, inline edit, saved views, query counts), the board,
merging, GDPR, timeline logging and export, and quick-create."""

import csv
import io
import json
import re

import pytest
from django.test.utils import CaptureQueriesContext
from django.db import connection
from django.utils import translation

from tenant_apps.activities.models import Activity
from tenant_apps.activities.services import activity_log
from tenant_apps.companies.models import Company
from tenant_apps.companies.services import company_create
from tenant_apps.contacts.models import Contact
from tenant_apps.contacts.services import contact_create
from tenant_apps.deals.models import Deal, Pipeline
from tenant_apps.deals.services import deal_create
from tenant_apps.records.models import SavedView
from tenant_apps.records.settings_services import custom_field_create
from tenant_apps.tasks.models import Task

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def person(actor, first="Ivan", last="Petrov", email="ivan@example.com", **data):
    return contact_create(actor=actor, data={"first_name": first, "last_name": last,
                                             "emails": [email] if email else [], **data})


def stages():
    return list(Pipeline.objects.get(is_default=True).stages.order_by("position"))


# --- contacts -------------------------------------------------------------------------


class TestContactPages:
    def test_create_with_a_new_company_and_see_it(self, client_for, owner):
        client = client_for(owner)
        response = client.post("/contacts/new/", {
            "first_name": "Мария", "last_name": "Иванова", "email": "maria@example.bg", "phone": "0888 123 456",
            "company_name": "Иванови ООД", "lifecycle_stage": "lead", "owner": str(owner.pk), "tags": "vip, sofia",
        })
        assert response.status_code == 302
        contact = Contact.objects.get(email="maria@example.bg")
        assert response["Location"] == f"/contacts/{contact.pk}/"
        assert contact.company.name == "Иванови ООД"
        assert contact.phone == "+359888123456"
        assert sorted(t.name for t in contact.tags.all()) == ["sofia", "vip"]
        page = text(client.get(response["Location"]))
        assert "Мария Иванова" in page and "Иванови ООД" in page and "vip" in page

    def test_a_failed_contact_leaves_no_company_behind(self, client_for, owner):
        client = client_for(owner)
        response = client.post("/contacts/new/", {
            "first_name": "Ivan", "email": "not-an-address", "company_name": "Ghost Ltd", "lifecycle_stage": "lead",
        })
        assert response.status_code == 200
        assert "errors" in text(response)
        assert not Company.objects.filter(name="Ghost Ltd").exists()
        assert not Contact.objects.exists()

    def test_errors_come_in_the_users_language(self, client_for, owner):
        client = client_for(owner)
        client.cookies["django_language"] = "bg"
        owner.language = "bg"
        owner.save(update_fields=["language"])
        response = client.post("/contacts/new/", {"lifecycle_stage": "lead"})
        with translation.override("bg"):
            message = translation.gettext("Enter a name or an e-mail address.")
        assert message != "Enter a name or an e-mail address."
        assert message in text(response)

    def test_edit_keeps_what_the_form_does_not_show_and_read_only_gets_404(self, client_for, owner, read_only):
        contact = person(owner, custom={})
        client = client_for(owner)
        page = text(client.get(f"/contacts/{contact.pk}/edit/"))
        assert 'value="Ivan"' in page
        response = client.post(f"/contacts/{contact.pk}/edit/", {
            "first_name": "Ivan", "last_name": "Petrov-Stoyanov", "email": "ivan@example.com", "lifecycle_stage": "customer",
        })
        assert response.status_code == 302
        contact.refresh_from_db()
        assert (contact.last_name, contact.lifecycle_stage) == ("Petrov-Stoyanov", "customer")
        assert client_for(read_only).get(f"/contacts/{contact.pk}/edit/").status_code == 404

    def test_delete_by_a_sales_rep_only_of_their_own(self, client_for, owner, sales_rep):
        theirs, mine = person(owner), person(sales_rep, email="mine@example.com")
        client = client_for(sales_rep)
        assert client.post(f"/contacts/{theirs.pk}/delete/").status_code == 403
        assert client.post(f"/contacts/{mine.pk}/delete/").status_code == 302
        assert list(Contact.objects.values_list("pk", flat=True)) == [theirs.pk]

    def test_record_page_has_timeline_deals_tasks_and_history_tabs(self, client_for, owner):
        contact = person(owner)
        activity_log(actor=owner, kind="note", body="Met at **the fair**", contact=contact)
        client = client_for(owner)
        page = text(client.get(f"/contacts/{contact.pk}/"))
        assert "<strong>the fair</strong>" in page
        for tab in ("deals", "tasks", "history"):
            assert client.get(f"/contacts/{contact.pk}/?tab={tab}").status_code == 200
        contact_update_via_form = client.post(f"/contacts/{contact.pk}/edit/", {
            "first_name": "Ivo", "email": "ivan@example.com", "lifecycle_stage": "lead"})
        assert contact_update_via_form.status_code == 302
        history = text(client.get(f"/contacts/{contact.pk}/?tab=history"))
        assert "Ivo" in history and owner.email in history or owner.display_name in history

    def test_restricted_sales_rep_gets_404_for_others_records(self, restricted, client_for, owner, sales_rep):
        theirs = person(owner)
        client = client_for(sales_rep)
        assert client.get(f"/contacts/{theirs.pk}/").status_code == 404
        assert "Ivan" not in text(client.get("/contacts/"))


class TestContactList:
    def test_filter_sort_and_columns(self, client_for, owner, sales_rep):
        person(owner, "Ana", "Zlatkova", "ana@example.com", city="Sofia")
        person(owner, "Boris", "Angelov", "boris@example.com", city="Plovdiv")
        person(sales_rep, "Cveta", "Borisova", "cveta@example.com", city="Sofia")
        client = client_for(owner)
        page = text(client.get("/contacts/?city=sofia&sort=-name"))
        assert "Ana" in page and "Cveta" in page and "Boris Angelov" not in page
        assert page.index("Zlatkova") < page.index("Borisova")
        mine = text(client.get("/contacts/?owner=me"))
        assert "Cveta" not in mine and "Ana" in mine

    def test_bad_filters_are_explained_not_fatal(self, client_for, owner):
        response = client_for(owner).get("/contacts/?created_at__gte=yesterday&sort=nonsense&page=abc")
        assert response.status_code == 200

    def test_query_count_does_not_grow_with_page_size(self, client_for, owner, sales_rep):
        company = company_create(actor=owner, data={"name": "Initech"})
        for i in range(60):
            person(owner if i % 2 else sales_rep, f"P{i}", "Person", f"p{i}@example.com", company=company,
                   tags=["t1", "t2"])
        client = client_for(owner)
        client.get("/contacts/?size=5")  # the session's first request does its one-off bookkeeping
        counts = []
        for size in (10, 50):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/contacts/?size={size}&sort=last_name&lifecycle_stage=lead")
            assert response.status_code == 200
            assert text(response).count('name="ids"') == size
            counts.append(len(queries))
        assert counts[0] == counts[1], counts

    def test_custom_field_filter_and_column(self, client_for, owner):
        custom_field_create(actor=owner, entity="contact", label="Tier", field_type="select", options=["Gold", "Silver"])
        custom_field_create(actor=owner, entity="contact", label="Nickname", field_type="text")
        person(owner, "Gold", "One", "g@example.com", custom={"tier": "Gold", "nickname": "Goldie"})
        person(owner, "Silver", "Two", "s@example.com", custom={"tier": "Silver"})
        client = client_for(owner)
        page = text(client.get("/contacts/?cf_tier=Gold&cols=name,email,cf_tier"))
        assert "Gold One" in page and "Silver Two" not in page
        assert "<th" in page and "Tier" in page
        assert "Gold One" in text(client.get("/contacts/?cf_nickname=goldi"))
        assert 'name="cf_nickname"' in text(client.get("/contacts/"))


class TestBulkAndInline:
    def test_bulk_assign_owner_and_tag(self, client_for, owner, sales_rep):
        a, b = person(owner), person(owner, "Maria", email="maria@example.com")
        client = client_for(owner)
        response = client.post("/records/bulk/contact/", {"ids": [a.pk, b.pk], "action": "owner",
                                                          "owner_value": str(sales_rep.pk), "do": "change"})
        assert response.status_code == 302
        assert set(Contact.objects.values_list("owner", flat=True)) == {sales_rep.pk}
        client.post("/records/bulk/contact/", {"ids": [a.pk, b.pk], "action": "add_tag", "tag_value": "fair-2026",
                                               "do": "change"})
        assert all("fair-2026" in [t.name for t in c.tags.all()] for c in Contact.objects.all())

    def test_bulk_delete_is_for_managers_and_all_or_nothing(self, client_for, owner, sales_rep):
        a, b = person(owner), person(sales_rep, "Maria", email="maria@example.com")
        assert client_for(sales_rep).post("/records/bulk/contact/", {"ids": [b.pk], "do": "delete"}).status_code == 403
        response = client_for(owner).post("/records/bulk/contact/", {"ids": [a.pk, b.pk, 999999], "do": "delete"},
                                         follow=True)
        assert "no longer exist" in text(response)
        assert Contact.objects.count() == 2
        client_for(owner).post("/records/bulk/contact/", {"ids": [a.pk, b.pk], "do": "delete"})
        assert Contact.objects.count() == 0

    def test_bulk_stage_change_on_deals(self, client_for, owner):
        deal = deal_create(actor=owner, data={"title": "Big one"})
        target = stages()[2]
        client_for(owner).post("/records/bulk/deal/", {"ids": [deal.pk], "action": "stage", "stage_value": target.pk,
                                                      "do": "change"})
        deal.refresh_from_db()
        assert deal.stage == target

    def test_inline_edit_answers_with_the_new_cell(self, client_for, owner, read_only):
        contact = person(owner)
        client = client_for(owner)
        response = client.post(f"/records/inline/contact/{contact.pk}/", {"field": "city", "value": "Varna"})
        assert response.status_code == 200 and "Varna" in text(response)
        contact.refresh_from_db()
        assert contact.city == "Varna"
        bad = client.post(f"/records/inline/contact/{contact.pk}/", {"field": "lifecycle_stage", "value": "king"})
        assert bad.status_code == 400 and "error" in bad.json()
        assert client.post(f"/records/inline/contact/{contact.pk}/", {"field": "email", "value": "x"}).status_code == 400
        denied = client_for(read_only).post(f"/records/inline/contact/{contact.pk}/", {"field": "city", "value": "X"})
        assert denied.status_code == 403
        contact.refresh_from_db()
        assert contact.city == "Varna"


class TestSavedViews:
    def test_personal_and_shared_views(self, client_for, owner, sales_rep):
        person(owner, city="Sofia")
        rep = client_for(sales_rep)
        response = rep.post("/records/views/contact/save/", {"name": "Sofia people", "query": "city=sofia&sort=-created_at"})
        view = SavedView.objects.get(name="Sofia people")
        assert response["Location"] == f"/contacts/?view={view.pk}"
        assert not view.is_shared
        assert rep.post("/records/views/contact/save/", {"name": "Shared", "query": "", "is_shared": "on"}).status_code == 403
        assert "Ivan" in text(rep.get(f"/contacts/?view={view.pk}"))
        # Another member neither sees nor deletes a personal view.
        boss = client_for(owner)
        assert "Sofia people" not in text(boss.get("/contacts/"))
        assert boss.post(f"/records/views/{view.pk}/delete/").status_code == 404
        boss.post("/records/views/contact/save/", {"name": "Team view", "query": "owner=me", "is_shared": "on"})
        assert "Team view" in text(rep.get("/contacts/"))


# --- duplicates, merge, GDPR ----------------------------------------------------------


class TestMergeAndGdpr:
    def test_duplicates_page_and_merge_screen(self, client_for, owner):
        a = person(owner, "Ivan", "Petrov", "same@example.com", city="Sofia")
        b = person(owner, "Ivan", "P.", "other@example.com", phones=["+359888000111"])
        from tenant_apps.contacts.services import contact_update

        contact_update(contact=b, actor=owner, data={"emails": ["other@example.com", "same@example.com"]})
        client = client_for(owner)
        assert "same@example.com" in text(client.get("/contacts/duplicates/"))
        screen = text(client.get(f"/contacts/{a.pk}/merge/?with={b.pk}"))
        assert "Petrov" in screen and "P." in screen
        response = client.post(f"/contacts/{a.pk}/merge/", {"with": [b.pk], "pick_last_name": str(b.pk)})
        assert response.status_code == 302
        a.refresh_from_db()
        assert a.last_name == "P." and a.city == "Sofia"
        assert not Contact.objects.filter(pk=b.pk).exists()
        assert {e.email for e in a.emails.all()} == {"same@example.com", "other@example.com"}

    def test_export_and_erase(self, client_for, owner, sales_rep):
        contact = person(owner, phones=["+359888000111"])
        activity_log(actor=owner, kind="note", body="Ivan asked about prices", contact=contact)
        client = client_for(owner)
        response = client.get(f"/contacts/{contact.pk}/export/")
        assert response["Content-Disposition"].startswith("attachment")
        data = json.loads(response.content)
        assert "ivan@example.com" in json.dumps(data)
        assert client_for(sales_rep).get(f"/contacts/{contact.pk}/erase/").status_code == 403
        wrong = client.post(f"/contacts/{contact.pk}/erase/", {"confirm": "nope"})
        assert wrong.status_code == 200 and Contact.objects.filter(pk=contact.pk).exists()
        assert client.post(f"/contacts/{contact.pk}/erase/", {"confirm": str(contact.pk)}).status_code == 302
        assert not Contact.objects.filter(pk=contact.pk).exists()
        assert not Activity.objects.filter(body__contains="Ivan asked").exists()


# --- companies -------------------------------------------------------------------------


class TestCompanyPages:
    def test_create_lookup_and_page(self, client_for, owner):
        client = client_for(owner)
        response = client.post("/companies/new/", {"name": "Initech", "website": "initech.example", "lifecycle_stage": "lead",
                                                   "industry": "", "size": ""})
        assert response.status_code == 302
        company = Company.objects.get(name="Initech")
        assert company.website == "https://initech.example"
        person(owner, company=company)
        assert client.get("/companies/lookup/?q=init").json()["results"][0]["name"] == "Initech"
        page = text(client.get(f"/companies/{company.pk}/"))
        assert "Ivan Petrov" in page

    def test_duplicates_by_domain_and_merge(self, client_for, owner):
        a = company_create(actor=owner, data={"name": "Initech", "website": "https://initech.example"})
        b = company_create(actor=owner, data={"name": "Initech Ltd", "website": "http://www.initech.example/about"})
        client = client_for(owner)
        assert "Initech Ltd" in text(client.get("/companies/duplicates/"))
        person(owner, company=b)
        client.post(f"/companies/{a.pk}/merge/", {"with": [b.pk]})
        assert list(Company.objects.values_list("name", flat=True)) == ["Initech"]
        assert Contact.objects.get().company == a


# --- deals and the board --------------------------------------------------------------


class TestBoard:
    def test_board_shows_columns_totals_and_moves_by_fetch(self, client_for, owner):
        deal = deal_create(actor=owner, data={"title": "Website", "amount": "1200"})
        deal_create(actor=owner, data={"title": "Hosting", "amount": "300"})
        client = client_for(owner)
        page = text(client.get("/deals/board/"))
        assert "Website" in page and "Hosting" in page
        assert re.search(r"1[\s,.\xa0]?500", page)
        won = [s for s in stages() if s.kind == "won"][0]
        response = client.post(f"/deals/{deal.pk}/move/", {"stage": won.pk}, HTTP_X_REQUESTED_WITH="fetch")
        assert response.status_code == 200 and response.json()["status"] == "won"
        first_column = response.json()["columns"][str(stages()[0].pk)]
        assert "300" in first_column and "1,500" not in first_column and "1 500" not in first_column
        lost = [s for s in stages() if s.kind == "lost"][0]
        refused = client.post(f"/deals/{deal.pk}/move/", {"stage": lost.pk}, HTTP_X_REQUESTED_WITH="fetch")
        assert refused.status_code == 400 and refused.json()["error"]["code"] == "validation_error"
        deal.refresh_from_db()
        assert deal.status == "won"

    def test_a_read_only_member_cannot_move(self, client_for, owner, read_only):
        deal = deal_create(actor=owner, data={"title": "Website"})
        response = client_for(read_only).post(f"/deals/{deal.pk}/move/", {"stage": stages()[1].pk},
                                              HTTP_X_REQUESTED_WITH="fetch")
        assert response.status_code == 403
        deal.refresh_from_db()
        assert deal.stage == stages()[0]

    def test_a_stage_from_another_pipeline_is_refused_from_the_page(self, client_for, owner):
        from tenant_apps.deals.services import pipeline_create

        other = pipeline_create(actor=owner, name="Partners", stages=[("Talk", 10)])
        deal = deal_create(actor=owner, data={"title": "Website"})
        client_for(owner).post(f"/deals/{deal.pk}/move/", {"stage": other.stages.first().pk})
        deal.refresh_from_db()
        assert deal.pipeline.is_default

    def test_columns_are_paged(self, client_for, owner):
        from tenant_apps.deals.selectors import BOARD_COLUMN_SIZE

        first = stages()[0]
        Deal.objects.bulk_create(
            Deal(title=f"Deal {i:03d}", pipeline=first.pipeline, stage=first, position=i, owner=owner)
            for i in range(BOARD_COLUMN_SIZE + 5)
        )
        client = client_for(owner)
        page = text(client.get("/deals/board/"))
        assert len(set(re.findall(r"Deal \d{3}", page))) == BOARD_COLUMN_SIZE
        assert f"Deal {BOARD_COLUMN_SIZE:03d}" not in page
        more = text(client.get(f"/deals/board/stage/{first.pk}/more/?offset={BOARD_COLUMN_SIZE}"))
        assert sorted(set(re.findall(r"Deal \d{3}", more))) == [f"Deal {i:03d}" for i in range(BOARD_COLUMN_SIZE, BOARD_COLUMN_SIZE + 5)]
        assert client.get(f"/deals/board/stage/{first.pk}/more/?offset=abc").status_code == 200

    def test_won_lost_reopen_buttons(self, client_for, owner):
        deal = deal_create(actor=owner, data={"title": "Website"})
        client = client_for(owner)
        client.post(f"/deals/{deal.pk}/lost/", {"reason": ""})
        deal.refresh_from_db()
        assert deal.status == "open"
        client.post(f"/deals/{deal.pk}/lost/", {"reason": "Too expensive"})
        deal.refresh_from_db()
        assert (deal.status, deal.lost_reason) == ("lost", "Too expensive")
        client.post(f"/deals/{deal.pk}/reopen/")
        deal.refresh_from_db()
        assert deal.status == "open"
        page = text(client.get(f"/deals/{deal.pk}/"))
        assert "Too expensive" in page  # the timeline remembers

    def test_quick_edit_from_a_card(self, client_for, owner):
        deal = deal_create(actor=owner, data={"title": "Website"})
        client_for(owner).post(f"/deals/{deal.pk}/quick-edit/", {"title": "Website v2", "amount": "1 500,50"})
        deal.refresh_from_db()
        assert (deal.title, str(deal.amount)) == ("Website v2", "1500.50")

    def test_new_deal_form(self, client_for, owner):
        client = client_for(owner)
        assert client.get("/deals/new/").status_code == 200
        second = stages()[1]
        response = client.post("/deals/new/", {"title": "Consulting", "amount": "900", "currency": "EUR",
                                              "stage": second.pk, "company_name": "Initech", "owner": str(owner.pk)})
        assert response.status_code == 302, text(response)
        deal = Deal.objects.get(title="Consulting")
        assert (deal.stage, deal.company.name) == (second, "Initech")
        assert "Consulting" in text(client.get("/deals/"))


# --- timeline -------------------------------------------------------------------------


class TestTimeline:
    def test_log_filter_and_export(self, client_for, owner):
        contact = person(owner)
        client = client_for(owner)
        response = client.post(f"/timeline/contact/{contact.pk}/log/", {
            "kind": "call", "subject": "=HYPERLINK(\"http://evil\")", "body": "Talked <script>alert(1)</script>",
            "occurred_at": "2026-11-20 10:00", "duration_minutes": "15", "direction": "out", "outcome": "connected",
        })
        assert response.status_code == 302
        client.post(f"/timeline/contact/{contact.pk}/log/", {"kind": "note", "body": "Just a note"})
        page = text(client.get(f"/contacts/{contact.pk}/?kind=call"))
        assert "Talked" in page and "Just a note" not in page and "<script>alert" not in page
        export = client.get(f"/timeline/contact/{contact.pk}/export/")
        rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")
                                           if export.streaming else export.content.decode("utf-8-sig"))))
        cells = [cell for row in rows for cell in row]
        assert any(cell.startswith("'=HYPERLINK") for cell in cells)
        assert not any(cell.startswith("=") for cell in cells)

    def test_times_are_shown_and_read_in_the_workspace_time_zone(self, client_for, owner):
        from datetime import UTC, datetime

        from tenant_apps.workspace.models import WorkspaceProfile

        WorkspaceProfile.objects.update_or_create(singleton=True, defaults={"timezone": "Europe/Sofia"})
        contact = person(owner)
        client = client_for(owner)
        client.post(f"/timeline/contact/{contact.pk}/log/", {"kind": "call", "body": "Winter call",
                                                             "occurred_at": "2026-01-15 12:00"})
        call = Activity.objects.get(kind="call")
        assert call.occurred_at == datetime(2026, 1, 15, 10, 0, tzinfo=UTC)  # Sofia is UTC+2 in winter
        page = text(client.get(f"/contacts/{contact.pk}/"))
        assert 'datetime="2026-01-15T12:00:00+02:00"' in page

    def test_bad_entry_is_refused_with_a_message(self, client_for, owner):
        contact = person(owner)
        response = client_for(owner).post(f"/timeline/contact/{contact.pk}/log/", {"kind": "note", "body": ""}, follow=True)
        assert response.status_code == 200
        assert Activity.objects.filter(kind="note").count() == 0


# --- quick-create ---------------------------------------------------------------------


class TestQuickCreate:
    def test_every_kind(self, client_for, owner):
        client = client_for(owner)
        form = client.get("/records/quick/contact/")
        assert form.status_code == 200 and 'name="first_name"' in text(form)
        made = client.post("/records/quick/contact/", {"first_name": "Quick", "email": "q@example.com",
                                                       "company_name": "Quickco"})
        assert made.status_code == 201
        contact = Contact.objects.get(first_name="Quick")
        assert made.json()["url"] == f"/contacts/{contact.pk}/" and contact.company.name == "Quickco"
        assert client.post("/records/quick/company/", {"name": "Acme Two"}).status_code == 201
        deal = client.post("/records/quick/deal/", {"title": "Fast deal", "amount": "100"})
        assert deal.status_code == 201 and Deal.objects.get(title="Fast deal").stage == stages()[0]
        task = client.post("/records/quick/task/", {"title": "Call Quick", "due_date": "2026-12-01", "due_time": "10:00"})
        assert task.status_code == 201 and Task.objects.get(title="Call Quick").assignee == owner

    def test_errors_come_back_on_the_form_and_nothing_is_written(self, client_for, owner):
        custom_field_create(actor=owner, entity="contact", label="Region code", field_type="number", is_required=True)
        client = client_for(owner)
        assert 'name="cf_region_code"' in text(client.get("/records/quick/contact/"))
        response = client.post("/records/quick/contact/", {"first_name": "X", "email": "bad", "company_name": "Ghost",
                                                           "cf_region_code": "abc"})
        assert response.status_code == 400
        assert "errors" in text(response)
        assert not Contact.objects.exists() and not Company.objects.exists()

    def test_what_you_may_not_create_is_not_there(self, client_for, read_only):
        client = client_for(read_only)
        assert client.get("/records/quick/contact/").status_code == 404
        assert client.post("/records/quick/deal/", {"title": "x"}).status_code == 404
        assert client.get("/records/quick/nonsense/").status_code == 404
        assert "data-quick-create" not in text(client.get("/"))

    def test_the_top_bar_offers_it_on_every_page(self, client_for, owner):
        page = text(client_for(owner).get("/"))
        assert "data-quick-create" in page and 'id="quick-dialog"' in page
