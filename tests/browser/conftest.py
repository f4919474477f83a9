"""A live server and headless Chromium (Debian's /usr/bin/chromium) for browser tests.

The server runs in a thread against the test database; what a browser test creates is
committed (the browser talks to another connection) and removed by the test's fixture.
"""

import os
import shutil

import pytest
from django.conf import settings
from django.test.testcases import LiveServerThread, _StaticFilesHandler

# Playwright's sync API keeps an event loop on the test's thread; the ORM calls that
# browser tests make between page actions are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium_path():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH).")
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


@pytest.fixture
def live_server_url(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        thread = LiveServerThread("127.0.0.1", _StaticFilesHandler, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        previous = settings.URL_PORT
        settings.URL_PORT = str(thread.port)
        try:
            yield f"http://localhost:{thread.port}"
        finally:
            settings.URL_PORT = previous
            thread.terminate()


@pytest.fixture
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


# Tables of a workspace's schema that a browser test may fill; emptied after it (the
# tests' own workspace, acme, keeps nothing between tests otherwise).
CRM_APPS = ("contacts", "companies", "deals", "activities", "tasks", "notifications", "records", "imports",
            "integrations", "pghistory", "sales")
KEEP_TABLES = {"deals_pipeline", "deals_stage"}


def _crm_reset(tenant):
    from django.apps import apps
    from django.db import connection

    connection.set_tenant(tenant)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [tenant.schema_name])
            existing = {row[0] for row in cursor.fetchall()}
            tables = sorted(
                model._meta.db_table
                for label in CRM_APPS if label in {a.label for a in apps.get_app_configs()}
                for model in apps.get_app_config(label).get_models(include_auto_created=True)
                if model._meta.db_table in existing and model._meta.db_table not in KEEP_TABLES
            )
            if tables:
                cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
    finally:
        connection.set_schema_to_public()


@pytest.fixture
def db_call(django_db_blocker):
    """db_call(fn, tenant_slug=None) -> fn(), run with database access (inside the tenant's
    schema when given). The connection is closed afterwards: while Playwright runs, the
    ORM's connection belongs to its event loop's context, which nothing else closes."""
    from django.db import connection, connections

    def call(fn, tenant_slug=None):
        from tenants.models import Tenant

        with django_db_blocker.unblock():
            try:
                if tenant_slug:
                    connection.set_tenant(Tenant.objects.get(slug=tenant_slug))
                return fn()
            finally:
                connection.set_schema_to_public()
                connections.close_all()

    return call


@pytest.fixture
def acme(live_server_url, browser, db_call):
    """A page in headless Chromium, signed in as acme's owner on acme's host. Yields
    (page, base URL, errors): `errors` collects uncaught JavaScript errors. Whatever the
    test created in acme's CRM is removed afterwards."""
    from django.test import Client

    from shared_apps.accounts.models import User
    from tenants.models import Tenant
    from tests.helpers import sign_in

    def sign_in_owner():
        tenant = Tenant.objects.get(slug="acme")
        owner = User.objects.get(email="owner@acme.test")
        return tenant, sign_in(Client(HTTP_HOST="acme.localhost"), owner, tenant=tenant)

    tenant, session_key = db_call(sign_in_owner)
    base = f"http://acme.localhost:{live_server_url.rsplit(':', 1)[1]}"
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": base}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page, base, errors
    finally:
        context.close()
        db_call(lambda: _crm_reset(tenant))
