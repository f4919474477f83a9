"""Task pages: the lists and their filters, create / edit / complete / reopen / delete,
bad input (a clear message, nothing written), permissions and query counts."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tenant_apps.tasks.models import Task
from tenant_apps.tasks.selectors import day_bounds, tasks_for_record
from tenant_apps.tasks.services import task_complete, task_create
from tenants.models import ScheduledJob
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db
ROW = re.compile(r'class="task-title" href="/tasks/(\d+)/">([^<]+)</a>')


def make(actor, **data):
    return task_create(actor=actor, data={"title": "Call back", **data})


def titles(client, url) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return {title for _pk, title in ROW.findall(response.content.decode())}


def body(response) -> str:
    return response.content.decode()


# --- lists --------------------------------------------------------------------------


class TestLists:
    @pytest.fixture
    def tasks(self, in_acme, owner, sales_rep, zone):
        # given: tasks of every kind, the owner's and one of Sam's
        now = timezone.now()
        start, end = day_bounds(zone, now)
        today = now + (end - now) / 2  # later today, whenever the test runs
        made = {
            "today": make(owner, title="Today thing", due_at=today),
            "late": make(owner, title="Late thing", due_at=now - timedelta(days=2)),
            "later": make(owner, title="Later thing", due_at=end + timedelta(hours=3)),
            "someday": make(owner, title="Someday thing"),
            "done": make(owner, title="Finished thing"),
            "sams": make(owner, title="Sams thing", assignee=sales_rep.pk, due_at=today),
        }
        task_complete(task=made["done"], actor=owner)
        return made

    def test_each_list_shows_its_tasks(self, tasks, client_for, owner):
        client = client_for(owner)
        assert titles(client, "/tasks/") == {"Today thing", "Late thing", "Later thing", "Someday thing"}
        assert titles(client, "/tasks/today/") == {"Today thing"}
        assert titles(client, "/tasks/overdue/") == {"Late thing"}
        assert titles(client, "/tasks/upcoming/") == {"Later thing"}
        assert titles(client, "/tasks/done/") == {"Finished thing"}
        assert titles(client, "/tasks/all/") == {
            "Today thing", "Late thing", "Later thing", "Someday thing", "Finished thing", "Sams thing"}

    def test_tabs_count_today_and_overdue(self, tasks, client_for, owner):
        page = body(client_for(owner).get("/tasks/"))
        assert 'data-count="today">1<' in page and 'data-count="overdue">1<' in page

    def test_lists_are_mine_by_default_and_filter_by_assignee(self, tasks, client_for, owner, sales_rep):
        client = client_for(owner)
        assert "Sams thing" not in titles(client, "/tasks/today/")
        assert titles(client, "/tasks/today/?assignee=any") == {"Today thing", "Sams thing"}
        assert titles(client, f"/tasks/today/?assignee={sales_rep.pk}") == {"Sams thing"}
        assert titles(client, "/tasks/all/?assignee=me") == {
            "Today thing", "Late thing", "Later thing", "Someday thing", "Finished thing"}
        # My tasks is always mine
        assert "Sams thing" not in titles(client, "/tasks/?assignee=any")
        # Sam's own list
        assert titles(client_for(sales_rep), "/tasks/") == {"Sams thing"}

    def test_filter_by_priority_and_linked_record(self, client_for, owner, contact, company, deal):
        make(owner, title="About Ivan", contact=contact, priority=Task.Priority.URGENT)
        make(owner, title="About Initech", company=company)
        make(owner, title="About the deal", deal=deal, priority=Task.Priority.URGENT)
        make(owner, title="About nothing")
        client = client_for(owner)
        assert titles(client, "/tasks/?record=contact") == {"About Ivan"}
        assert titles(client, "/tasks/?record=company") == {"About Initech"}
        assert titles(client, "/tasks/?record=deal") == {"About the deal"}
        assert titles(client, "/tasks/?record=none") == {"About nothing"}
        assert titles(client, "/tasks/?priority=4") == {"About Ivan", "About the deal"}
        assert titles(client, "/tasks/all/?priority=4&record=deal") == {"About the deal"}

    def test_bad_filters_are_explained_and_ignored(self, tasks, client_for, owner):
        response = client_for(owner).get("/tasks/today/?priority=9&record=planet&assignee=x%27y&page=abc")
        assert response.status_code == 200
        page = body(response)
        assert "Unknown priority" in page and "Unknown record type" in page and "Unknown assignee" in page
        assert {t for _pk, t in ROW.findall(page)} == {"Today thing"}

    def test_a_linked_record_is_named_in_the_list(self, client_for, owner, contact):
        make(owner, title="About Ivan", contact=contact)
        assert "Ivan Petrov" in body(client_for(owner).get("/tasks/"))

    def test_times_are_shown_in_the_workspace_zone(self, client_for, owner, in_acme):
        from tenant_apps.workspace.models import WorkspaceProfile

        assert WorkspaceProfile.objects.update(timezone="Asia/Tokyo") == 1
        make(owner, title="Tokyo", due_at=datetime(2030, 1, 10, 1, 30, tzinfo=UTC))
        page = body(client_for(owner).get("/tasks/"))
        assert "10:30" in page  # 01:30 UTC is 10:30 in Tokyo

    def test_dashboard_card_and_nav(self, tasks, client_for, owner):
        client = client_for(owner)
        page = body(client.get("/"))
        card = re.search(r'data-card="tasks">(.*?)</div>\s*</div>', page, re.S)
        assert card and "Your tasks" in card.group(1)
        assert 'class="stat-value">1<' in card.group(1) and "1 overdue" in card.group(1)
        assert 'href="/tasks/"' in page


class TestVisibility:
    def test_restricted_rep_sees_only_their_tasks_and_has_no_all_list(self, restricted, client_for, owner, sales_rep):
        mine = make(owner, title="For Sam", assignee=sales_rep.pk)
        theirs = make(owner, title="Owner only")
        own = make(sales_rep, title="Sam wrote this", assignee=owner.pk)
        client = client_for(sales_rep)
        assert titles(client, "/tasks/today/?assignee=any") == set()
        assert titles(client, "/tasks/?assignee=any") == {"For Sam"}
        assert titles(client, f"/tasks/upcoming/?assignee={owner.pk}") == set()
        assert client.get("/tasks/all/").status_code == 403
        assert "/tasks/all/" not in body(client.get("/tasks/"))
        assert client.get(f"/tasks/{theirs.pk}/").status_code == 404
        assert client.get(f"/tasks/{mine.pk}/").status_code == 200
        assert client.get(f"/tasks/{own.pk}/").status_code == 200
        assert client.post(f"/tasks/{theirs.pk}/complete/").status_code == 404
        theirs.refresh_from_db()
        assert theirs.status == "open"

    def test_another_workspace_cannot_reach_a_task_by_its_id(self, in_acme, owner, outsider, tenant_b):
        task = make(owner, title="Acme secret")
        connection.set_tenant(tenant_b)
        assert not Task.objects.filter(pk=task.pk).exists()
        client = Client(HTTP_HOST="globex.localhost")
        sign_in(client, outsider, tenant=tenant_b)
        for url in (f"/tasks/{task.pk}/", f"/tasks/{task.pk}/edit/", f"/tasks/{task.pk}/delete/"):
            assert client.get(url).status_code == 404
        assert client.post(f"/tasks/{task.pk}/complete/").status_code == 404
        assert "Acme secret" not in body(client.get("/tasks/all/"))


class TestQueryCounts:
    def _count(self, client, url) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    @pytest.mark.parametrize("url", ["/tasks/", "/tasks/all/", "/tasks/done/", "/tasks/today/?assignee=any"])
    def test_lists_do_not_grow_with_their_tasks(self, url, client_for, owner, admin, sales_rep, contact, company, deal, zone):
        now = timezone.now()
        _start, end = day_bounds(zone, now)
        today = now + (end - now) / 2

        def add(n):
            links = [{"contact": contact}, {"company": company}, {"deal": deal}, {}]
            for i in range(n):
                task = make(owner, title=f"Task {i}", due_at=today, assignee=[owner, admin, sales_rep][i % 3].pk, **links[i % 4])
                if url.startswith("/tasks/done/"):
                    task_complete(task=task, actor=owner)

        client = client_for(owner)
        add(2)
        client.get(url)  # warm the host and branding caches
        few = self._count(client, url)
        add(12)
        many = self._count(client, url)
        assert few == many
        assert len(ROW.findall(body(client.get(url)))) >= 5

    def test_a_records_tasks_take_two_queries(self, in_acme, owner, contact):
        for i in range(6):
            task = make(owner, title=f"T{i}", contact=contact)
            if i % 2:
                task_complete(task=task, actor=owner)
        owner._membership_cache = None
        tasks_for_record(owner, contact=contact)  # membership lookup cached on the user
        with CaptureQueriesContext(connection) as queries:
            result = tasks_for_record(owner, contact=contact)
        selects = [q["sql"] for q in queries if not q["sql"].startswith("SET search_path")]
        assert len(selects) == 2, selects
        assert [t.status for t in result] == ["open"] * 3 + ["done"] * 3


# --- create and edit ----------------------------------------------------------------


class TestCreate:
    def test_create_with_everything(self, client_for, owner, sales_rep, contact, zone):
        client = client_for(owner)
        response = client.post("/tasks/new/", {
            "title": "  Send the offer ", "description": "With prices", "due_date": "2030-03-01", "due_time": "14:30",
            "assignee": sales_rep.pk, "priority": "3", "link": f"contact:{contact.pk}", "save": "1",
        })
        task = Task.objects.get(title="Send the offer")
        assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
        assert task.due_at == timezone.make_aware(datetime(2030, 3, 1, 14, 30), zone)
        assert (task.assignee, task.priority, task.contact, task.created_by) == (sales_rep, 3, contact, owner)
        assert ScheduledJob.objects.filter(kind="task_reminder", object_id=task.pk, due_at=task.due_at).exists()
        page = body(client.get(f"/tasks/{task.pk}/"))
        assert "2:30 p.m." in page and "Ivan Petrov" in page and "With prices" in page

    def test_defaults_are_me_normal_and_nine_oclock(self, client_for, owner, zone):
        client_for(owner).post("/tasks/new/", {"title": "Plain", "due_date": "2030-03-01"})
        task = Task.objects.get(title="Plain")
        assert (task.assignee, task.priority) == (owner, Task.Priority.NORMAL)
        assert task.due_at == timezone.make_aware(datetime(2030, 3, 1, 9, 0), zone)

    def test_the_form_page_and_next(self, client_for, owner, contact):
        client = client_for(owner)
        page = body(client.get(f"/tasks/new/?link=contact:{contact.pk}&next=/tasks/today/"))
        assert f'value="contact:{contact.pk}" selected' in page and "Ivan Petrov" in page
        assert 'name="next" value="/tasks/today/"' in page
        response = client.post("/tasks/new/", {"title": "Back", "next": "/tasks/today/"})
        assert response["Location"] == "/tasks/today/"
        response = client.post("/tasks/new/", {"title": "Not away", "next": "https://evil.example/"})
        assert response["Location"].startswith("/tasks/")

    @pytest.mark.parametrize("data, message", [
        ({"title": ""}, "Enter what needs to be done."),
        ({"title": "   "}, "Enter what needs to be done."),
        ({"title": "x" * 201}, "Ensure this value has at most 200 characters"),
        ({"title": "Bad date", "due_date": "2030-13-45"}, "Enter a valid date"),
        ({"title": "Far date", "due_date": "0001-01-01"}, "Enter a date between 2000 and 2999."),
        ({"title": "Bad time", "due_date": "2030-01-01", "due_time": "25:99"}, "Enter a valid time"),
        ({"title": "Time only", "due_time": "10:00"}, "Enter a date for this time."),
        ({"title": "Bad priority", "priority": "9"}, "Choose a priority from the list."),
        ({"title": "Bad link", "link": "planet:3"}, "Choose a record from the list."),
        ({"title": "Missing link", "link": "contact:999999"}, "Choose a record you can see."),
    ])
    def test_bad_input_is_explained_and_nothing_saved(self, client_for, owner, data, message):
        client = client_for(owner)
        before = Task.objects.count()
        response = client.post("/tasks/new/", {"priority": "2", **data})
        assert response.status_code == 200
        assert message in body(response).replace("&#x27;", "'")
        assert Task.objects.count() == before
        if data["title"].strip() and len(data["title"]) <= 200:
            assert f'value="{data["title"]}"' in body(response)  # what was typed is kept

    def test_assignee_must_be_a_member(self, client_for, owner, outsider):
        response = client_for(owner).post("/tasks/new/", {"title": "For Charlie", "assignee": outsider.pk})
        assert response.status_code == 200
        assert "Choose a member of this workspace." in body(response)
        assert not Task.objects.filter(title="For Charlie").exists()

    def test_a_record_the_rep_cannot_see_cannot_be_linked(self, restricted, client_for, owner, sales_rep, contact):
        response = client_for(sales_rep).post("/tasks/new/", {"title": "Sneaky", "link": f"contact:{contact.pk}"})
        assert response.status_code == 200
        page = body(response)
        assert "Choose a record you can see." in page
        assert "Ivan Petrov" not in page  # the select does not name what they cannot see
        assert not Task.objects.filter(title="Sneaky").exists()

    def test_read_only_members_cannot_create(self, client_for, read_only):
        client = client_for(read_only)
        assert client.get("/tasks/new/").status_code == 403
        assert client.post("/tasks/new/", {"title": "Nope"}).status_code == 403
        assert not Task.objects.filter(title="Nope").exists()
        assert "/tasks/new/" not in body(client.get("/tasks/"))

    def test_searching_for_a_record_keeps_the_form(self, client_for, owner, contact, deal):
        client = client_for(owner)
        response = client.post("/tasks/new/", {"title": "Keep me", "due_date": "2030-05-05", "link_query": "Petrov",
                                               "find_record": "1"})
        page = body(response)
        assert response.status_code == 200
        assert f'value="contact:{contact.pk}" selected' in page  # the one hit is chosen
        assert 'value="Keep me"' in page and 'value="2030-05-05"' in page
        assert not Task.objects.exists()
        page = body(client.post("/tasks/new/", {"title": "x", "link_query": "nothing-matches-this", "find_record": "1"}))
        assert "No contact, company or deal matches" in page

    def test_search_finds_only_what_the_rep_may_see(self, restricted, client_for, sales_rep, contact):
        page = body(client_for(sales_rep).post("/tasks/new/", {"title": "x", "link_query": "Petrov", "find_record": "1"}))
        assert f"contact:{contact.pk}" not in page


class TestEdit:
    def test_edit(self, client_for, owner, company, zone):
        task = make(owner, title="Old", due_at=timezone.now() + timedelta(days=1))
        client = client_for(owner)
        page = body(client.get(f"/tasks/{task.pk}/edit/"))
        assert 'value="Old"' in page
        response = client.post(f"/tasks/{task.pk}/edit/", {
            "title": "New", "due_date": "2031-01-02", "due_time": "08:15", "assignee": owner.pk, "priority": "4",
            "link": f"company:{company.pk}",
        })
        assert response.status_code == 302
        task.refresh_from_db()
        assert (task.title, task.priority, task.company) == ("New", 4, company)
        assert task.due_at == timezone.make_aware(datetime(2031, 1, 2, 8, 15), zone)
        client.post(f"/tasks/{task.pk}/edit/", {"title": "New", "assignee": owner.pk, "priority": "4", "link": ""})
        task.refresh_from_db()
        assert task.company is None and task.due_at is None
        assert not ScheduledJob.objects.filter(kind="task_reminder", object_id=task.pk).exists()

    def test_bad_edit_changes_nothing(self, client_for, owner):
        task = make(owner, title="Keep", due_at=datetime(2030, 1, 1, tzinfo=UTC))
        response = client_for(owner).post(f"/tasks/{task.pk}/edit/", {"title": "", "due_date": "someday"})
        assert response.status_code == 200
        assert "Enter what needs to be done." in body(response) and "Enter a valid date" in body(response)
        task.refresh_from_db()
        assert task.title == "Keep" and task.due_at == datetime(2030, 1, 1, tzinfo=UTC)

    def test_others_cannot_edit(self, client_for, owner, read_only):
        task = make(owner, title="Owner's")
        client = client_for(read_only)
        assert client.get(f"/tasks/{task.pk}/edit/").status_code == 403
        assert client.post(f"/tasks/{task.pk}/edit/", {"title": "Hacked"}).status_code == 403
        task.refresh_from_db()
        assert task.title == "Owner's"

    def test_a_rep_edits_a_task_linked_to_a_record_they_cannot_see(self, restricted, client_for, owner, sales_rep, contact):
        task = make(owner, title="For Sam", assignee=sales_rep.pk, contact=contact)
        client = client_for(sales_rep)
        page = body(client.get(f"/tasks/{task.pk}/edit/"))
        assert f"contact:{contact.pk}" in page and "Ivan Petrov" not in page
        response = client.post(f"/tasks/{task.pk}/edit/", {
            "title": "For Sam, renamed", "assignee": sales_rep.pk, "priority": "2", "link": f"contact:{contact.pk}"})
        assert response.status_code == 302
        task.refresh_from_db()
        assert task.title == "For Sam, renamed" and task.contact == contact


# --- complete, reopen, delete -------------------------------------------------------


class TestCompleteReopenDelete:
    def test_complete_and_reopen_return_to_the_page(self, client_for, owner):
        task = make(owner, title="Tick", due_at=timezone.now() + timedelta(hours=1))
        client = client_for(owner)
        response = client.post(f"/tasks/{task.pk}/complete/", {"next": "/tasks/today/?priority=2"})
        assert response["Location"] == "/tasks/today/?priority=2"
        task.refresh_from_db()
        assert task.status == "done" and task.completed_by == owner
        assert not ScheduledJob.objects.filter(kind="task_reminder", object_id=task.pk).exists()
        response = client.post(f"/tasks/{task.pk}/reopen/", {"next": "//evil.example/x"})
        assert response["Location"] == "/tasks/"
        task.refresh_from_db()
        assert task.status == "open" and task.completed_at is None
        assert ScheduledJob.objects.filter(kind="task_reminder", object_id=task.pk).exists()

    def test_buttons_are_inline_in_the_lists(self, client_for, owner):
        task = make(owner, title="Inline")
        page = body(client_for(owner).get("/tasks/?priority=2"))
        assert f'action="/tasks/{task.pk}/complete/"' in page
        assert 'name="next" value="/tasks/?priority=2"' in page

    def test_complete_needs_post_and_twice_is_harmless(self, client_for, owner):
        task = make(owner, title="Once")
        client = client_for(owner)
        assert client.get(f"/tasks/{task.pk}/complete/").status_code == 405
        client.post(f"/tasks/{task.pk}/complete/")
        completed_at = Task.objects.get(pk=task.pk).completed_at
        response = client.post(f"/tasks/{task.pk}/complete/", follow=True)
        assert "already done" in body(response)
        assert Task.objects.get(pk=task.pk).completed_at == completed_at

    def test_read_only_completes_their_own_but_not_others(self, client_for, owner, read_only):
        theirs = make(owner, title="For Rita", assignee=read_only.pk)
        others = make(owner, title="Not Rita's")
        client = client_for(read_only)
        client.post(f"/tasks/{theirs.pk}/complete/")
        client.post(f"/tasks/{others.pk}/complete/")
        assert Task.objects.get(pk=theirs.pk).status == "done"
        assert Task.objects.get(pk=others.pk).status == "open"

    def test_delete_asks_first(self, client_for, owner):
        task = make(owner, title="Bin me", due_at=timezone.now() + timedelta(days=1))
        client = client_for(owner)
        page = body(client.get(f"/tasks/{task.pk}/delete/?next=/tasks/upcoming/"))
        assert "Bin me" in page and 'name="next" value="/tasks/upcoming/"' in page
        assert Task.objects.filter(pk=task.pk).exists()
        response = client.post(f"/tasks/{task.pk}/delete/", {"next": "/tasks/upcoming/"})
        assert response["Location"] == "/tasks/upcoming/"
        assert not Task.objects.filter(pk=task.pk).exists()
        assert not ScheduledJob.objects.filter(kind="task_reminder", object_id=task.pk).exists()

    def test_delete_never_returns_to_the_deleted_task(self, client_for, owner):
        task = make(owner, title="Gone")
        response = client_for(owner).post(f"/tasks/{task.pk}/delete/", {"next": f"/tasks/{task.pk}/"})
        assert response["Location"] == "/tasks/"

    def test_others_cannot_delete(self, client_for, owner, read_only):
        task = make(owner, title="Stay")
        client = client_for(read_only)
        assert client.get(f"/tasks/{task.pk}/delete/").status_code == 403
        assert client.post(f"/tasks/{task.pk}/delete/").status_code == 403
        assert Task.objects.filter(pk=task.pk).exists()


# --- the record pages' block ---------------------------------------------------------


class TestRecordInclude:
    def _render(self, user, tenant, contact):
        request = RequestFactory().get(f"/contacts/{contact.pk}/", HTTP_HOST="acme.localhost")
        request.user, request.tenant = user, tenant
        return render_to_string(
            "tasks/_record_tasks.html",
            {"record": contact, "record_tasks": tasks_for_record(user, contact=contact)},
            request=request,
        )

    def test_lists_tasks_with_buttons_and_a_quick_add_form(self, in_acme, owner, contact):
        open_task = make(owner, title="Call Ivan", contact=contact)
        done = make(owner, title="Met Ivan", contact=contact)
        task_complete(task=done, actor=owner)
        make(owner, title="Unrelated")
        html = self._render(owner, in_acme, contact)
        assert "Call Ivan" in html and "Met Ivan" in html and "Unrelated" not in html
        assert f'action="/tasks/{open_task.pk}/complete/"' in html and f'action="/tasks/{done.pk}/reopen/"' in html
        assert f'name="link" value="contact:{contact.pk}"' in html
        assert f'name="next" value="/contacts/{contact.pk}/"' in html

    def test_read_only_gets_no_add_form(self, in_acme, owner, read_only, contact):
        make(owner, title="Call Ivan", contact=contact)
        html = self._render(read_only, in_acme, contact)
        assert "Call Ivan" in html and 'action="/tasks/new/"' not in html

    def test_quick_add_links_the_task_and_goes_back(self, client_for, owner, contact):
        response = client_for(owner).post("/tasks/new/", {
            "title": "From the record", "due_date": "2030-02-02", "link": f"contact:{contact.pk}",
            "next": f"/contacts/{contact.pk}/"})
        assert response["Location"] == f"/contacts/{contact.pk}/"
        task = Task.objects.get(title="From the record")
        assert task.contact == contact and task.assignee == owner

    def test_quick_add_without_a_title_keeps_the_link(self, client_for, owner, contact):
        response = client_for(owner).post("/tasks/new/", {
            "title": "", "link": f"contact:{contact.pk}", "next": f"/contacts/{contact.pk}/"})
        page = body(response)
        assert response.status_code == 200 and "Enter what needs to be done." in page
        assert f'value="contact:{contact.pk}" selected' in page
        assert f'name="next" value="/contacts/{contact.pk}/"' in page

    def test_needs_exactly_one_record(self, in_acme, owner, contact, company):
        with pytest.raises(ValueError):
            tasks_for_record(owner)
        with pytest.raises(ValueError):
            tasks_for_record(owner, contact=contact, company=company)
