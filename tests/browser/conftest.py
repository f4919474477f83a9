"""A live server and headless Chromium (Debian's /usr/bin/chromium) for browser tests.

The server runs in a thread against the test database; what a browser test creates is
committed (the browser talks to another connection) and removed by the test's fixture.
"""

import os
import shutil

import pytest
from django.conf import settings
from django.test.testcases import LiveServerThread, _StaticFilesHandler

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
