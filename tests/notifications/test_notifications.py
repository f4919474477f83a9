"""In-app notifications: the services, the bell's unread count, the list page, opening
one (marks it read, goes only to a path on this host) and isolation between people and
workspaces."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenant_apps.notifications.models import Notification
from tenant_apps.notifications.selectors import notification_unread_count
from tenant_apps.notifications.services import (
    notification_create,
    notifications_mark_all_read,
    notifications_mark_read,
)
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(in_acme):
    def make(user, tenant=None, host="acme.localhost"):
        tenant = tenant or in_acme
        client = Client(HTTP_HOST=host)
        sign_in(client, user, tenant=tenant)
        connection.set_tenant(tenant)
        return client

    return make


def note(user, title="Hello", url="/tasks/", **extra):
    return notification_create(user=user, kind="test", title=title, url=url, **extra)


class TestServices:
    def test_create_clips_text_and_drops_foreign_urls(self, in_acme, owner):
        long = note(owner, title="x" * 500, body="y" * 900)
        assert len(long.title) == 200 and len(long.body) == 500
        for bad in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "tasks/"):
            assert note(owner, url=bad).url == ""
        assert note(owner, url="/tasks/3/?tab=x").url == "/tasks/3/?tab=x"

    def test_mark_read_only_touches_ones_own(self, in_acme, owner, admin):
        mine, theirs = note(owner), note(admin)
        assert notifications_mark_read(ids=[mine.pk, theirs.pk], actor=owner) == 1
        assert notifications_mark_read(ids=[mine.pk], actor=owner) == 0  # already read
        assert Notification.objects.get(pk=theirs.pk).read_at is None
        note(owner), note(owner)
        assert notifications_mark_all_read(actor=owner) == 2
        assert notification_unread_count(user=owner) == 0
        assert notification_unread_count(user=admin) == 1

    def test_unread_count_is_one_query_and_capped(self, in_acme, owner):
        Notification.objects.bulk_create([Notification(user=owner, kind="t", title=str(i)) for i in range(105)])
        notification_unread_count(user=owner)
        with CaptureQueriesContext(connection) as queries:
            assert notification_unread_count(user=owner) == 100
        assert len([q for q in queries if not q["sql"].startswith("SET search_path")]) == 1

    def test_nothing_outside_a_workspace(self, owner):
        assert connection.schema_name == "public"
        assert notification_unread_count(user=owner) == 0


class TestBell:
    def test_the_bell_shows_the_unread_count(self, client_for, owner):
        client = client_for(owner)
        page = client.get("/tasks/").content.decode()
        assert "data-notification-bell" in page and "data-unread" not in page
        note(owner), note(owner)
        page = client.get("/tasks/").content.decode()
        assert 'data-unread="2">2<' in page

    def test_the_bell_caps_at_99(self, client_for, owner):
        Notification.objects.bulk_create([Notification(user=owner, kind="t", title=str(i)) for i in range(120)])
        page = client_for(owner).get("/").content.decode()
        assert ">99+<" in page

    def test_the_bell_does_not_grow_with_notifications(self, client_for, owner):
        client = client_for(owner)
        note(owner)
        client.get("/notifications/")

        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/tasks/").status_code == 200
            return len(queries)

        few = count()
        Notification.objects.bulk_create([Notification(user=owner, kind="t", title=str(i)) for i in range(30)])
        assert count() == few


class TestPages:
    def test_list_shows_ones_own_newest_first(self, client_for, owner, admin):
        note(owner, title="First for Olivia")
        note(owner, title="Second for Olivia")
        note(admin, title="For Adam")
        page = client_for(owner).get("/notifications/").content.decode()
        assert page.index("Second for Olivia") < page.index("First for Olivia")
        assert "For Adam" not in page and "2 unread" in page

    def test_list_query_count_does_not_grow(self, client_for, owner):
        client = client_for(owner)
        note(owner)
        client.get("/notifications/")

        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/notifications/").status_code == 200
            return len(queries)

        few = count()
        for i in range(20):
            note(owner, title=f"n{i}")
        assert count() == few

    def test_opening_marks_read_and_goes_to_its_page(self, client_for, owner):
        item = note(owner, url="/tasks/today/")
        response = client_for(owner).get(f"/notifications/{item.pk}/")
        assert response.status_code == 302 and response["Location"] == "/tasks/today/"
        item.refresh_from_db()
        assert item.read_at is not None

    def test_a_foreign_url_never_leaves_the_host(self, client_for, owner):
        item = note(owner)
        Notification.objects.filter(pk=item.pk).update(url="//evil.example/steal")
        response = client_for(owner).get(f"/notifications/{item.pk}/")
        assert response["Location"] == "/notifications/"
        Notification.objects.filter(pk=item.pk).update(url="https://evil.example/")
        assert client_for(owner).get(f"/notifications/{item.pk}/")["Location"] == "/notifications/"

    def test_someone_elses_notification_is_not_found(self, client_for, owner, admin):
        item = note(admin)
        assert client_for(owner).get(f"/notifications/{item.pk}/").status_code == 404
        item.refresh_from_db()
        assert item.read_at is None

    def test_mark_all_read(self, client_for, owner, admin):
        note(owner), note(owner)
        theirs = note(admin)
        client = client_for(owner)
        assert client.get("/notifications/read-all/").status_code == 405
        response = client.post("/notifications/read-all/")
        assert response["Location"] == "/notifications/"
        assert notification_unread_count(user=owner) == 0
        assert Notification.objects.get(pk=theirs.pk).read_at is None

    def test_bad_page_number_is_not_an_error(self, client_for, owner):
        assert client_for(owner).get("/notifications/?page=zzz").status_code == 200

    def test_another_workspace_sees_none_of_ours(self, client_for, in_acme, owner, outsider, tenant_b):
        item = note(owner, title="Acme only")
        connection.set_tenant(tenant_b)
        assert not Notification.objects.filter(pk=item.pk).exists()
        client = client_for(outsider, tenant=tenant_b, host="globex.localhost")
        assert "Acme only" not in client.get("/notifications/").content.decode()
        assert client.get(f"/notifications/{item.pk}/").status_code == 404
        connection.set_tenant(in_acme)
        item.refresh_from_db()
        assert item.read_at is None
