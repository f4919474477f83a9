"""The task and notification pages in headless Chromium at 375px: nothing scrolls
sideways, no script errors or CSP violations; a task added on a contact's page and one
completed from a list return to where they came from; the bell leads to the task."""

import re
import secrets
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.browser.conftest import browser, chromium_path, live_server_url  # noqa: F401
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def workspace(django_db_setup, django_db_blocker):
    """A committed workspace with tasks and a notification, made before the browser
    starts (Django refuses queries inside Playwright's event loop); removed afterwards."""
    from shared_apps.accounts.models import User
    from shared_apps.audit.models import SecurityEvent
    from tenant_apps.contacts.services import contact_create
    from tenant_apps.notifications.services import notification_create
    from tenant_apps.tasks.services import task_create
    from tenants.models import Tenant
    from tenants.services import tenant_delete, tenant_provision
    from tests.helpers import make_user

    slug = f"tasks-{secrets.token_hex(3)}"
    email = f"planner@{slug}.test"
    with django_db_blocker.unblock():
        owner = make_user(email, "Pat Planner")
        tenant = tenant_provision(slug=slug, name="Planner Co", owner=owner, method="clone")
        connection.set_tenant(tenant)
        contact = contact_create(actor=owner, data={"first_name": "Bartholomew", "last_name": "Featherstonehaugh-Smythe"})
        now = timezone.now()
        first = task_create(actor=owner, data={
            "title": "Prepare the very long quarterly business review presentation for the board " * 2,
            "due_at": now - timedelta(days=1), "priority": 4, "contact": contact})
        task_create(actor=owner, data={"title": "Call back", "due_at": now + timedelta(hours=1)})
        task_create(actor=owner, data={"title": "Someday", "description": "x " * 300})
        notification_create(user=owner, kind="test", title="Task due: something important", url=f"/tasks/{first.pk}/")
        connection.set_schema_to_public()
    yield {"slug": slug, "email": email, "task": first.pk, "contact": contact.pk}
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        for row in Tenant.objects.filter(slug=slug):
            tenant_delete(tenant=row, backup=False)
        SecurityEvent.objects.filter(actor_email=email).delete()
        User.objects.filter(email=email).delete()


def test_task_pages_fit_a_small_screen(workspace, live_server_url, browser):  # noqa: F811
    port = live_server_url.rsplit(":", 1)[1]
    base = f"http://{workspace['slug']}.localhost:{port}"
    page = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True).new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", workspace["email"])
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    pk = workspace["task"]
    for path in ("/", "/tasks/", "/tasks/overdue/", "/tasks/all/", "/tasks/new/", f"/tasks/{pk}/", f"/tasks/{pk}/edit/",
                 f"/tasks/{pk}/delete/", "/notifications/", f"/contacts/{workspace['contact']}/?tab=tasks"):
        page.goto(f"{base}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (path, width)
    # add a task from the contact's page: back on that page, with the task listed
    contact_page = f"{base}/contacts/{workspace['contact']}/?tab=tasks"
    page.goto(contact_page)
    page.fill(".task-quick-add input[name=title]", "Send the brochure")
    page.click(".task-quick-add button[type=submit]")
    page.wait_for_url(contact_page)
    assert "Send the brochure" in page.inner_text(".record-tasks")
    # complete from the Overdue list: back on the list, the task gone from it
    page.goto(f"{base}/tasks/overdue/")
    page.click(f"tr[data-task='{pk}'] button.task-check")
    page.wait_for_url(re.compile(r".*/tasks/overdue/$"))
    assert page.locator(f"tr[data-task='{pk}']").count() == 0
    # the bell leads to the notification, which leads to the task
    page.click("[data-notification-bell]")
    page.wait_for_url(re.compile(r".*/notifications/$"))
    page.click("text=Task due: something important")
    page.wait_for_url(re.compile(rf".*/tasks/{pk}/$"))
    assert problems == []
