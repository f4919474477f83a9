"""A company signs up, its owner turns on TOTP, signs out and signs in with a code."""

import base64
import re
import secrets
import time

import pytest
from django.db import connection

from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


def _code(secret_text: str, step_offset: int = 0) -> str:
    from django_otp.oath import TOTP

    key = base64.b32decode(secret_text.replace(" ", "") + "=" * (-len(secret_text.replace(" ", "")) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * step_offset
    return f"{totp.token():06d}"


@pytest.fixture
def slug(django_db_setup, django_db_blocker):
    slug = f"browser-{secrets.token_hex(3)}"
    email = f"founder@{slug}.test"
    yield slug
    from shared_apps.accounts.models import User
    from shared_apps.audit.models import SecurityEvent
    from tenants.models import Tenant
    from tenants.services import tenant_delete

    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        for tenant in Tenant.objects.filter(slug=slug):
            tenant_delete(tenant=tenant, backup=False)
        SecurityEvent.objects.filter(actor_email=email).delete()
        User.objects.filter(email=email).delete()


def test_sign_up_enrol_totp_sign_out_and_sign_in_with_a_code(slug, live_server_url, browser):
    # (fixture order matters: the browser closes before `slug` cleans the database up)
    email = f"founder@{slug}.test"
    port = live_server_url.rsplit(":", 1)[1]
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # Sign up; the address is suggested from the name and checked as you type.
    page.goto(f"{live_server_url}/signup/")
    page.fill("input[name=company_name]", "Browser Test Co")
    page.fill("input[name=slug]", slug)
    page.wait_for_selector("[data-slug-status].ok")
    assert f"{slug}.localhost is available." in page.inner_text("[data-slug-status]")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"http://{slug}.localhost:{port}/")
    assert "Welcome" in page.inner_text("h1")

    # Turn on two-factor authentication with the key shown on the page.
    page.click("text=Set up two-factor authentication")
    page.wait_for_url(re.compile(r".*/account/2fa/setup/$"))
    assert page.locator(".qr svg").count() == 1
    secret = page.inner_text("#totp-secret")
    page.fill("input[name=code]", _code(secret))
    page.click("#content button[type=submit]")
    page.wait_for_url(re.compile(r".*/account/2fa/recovery-codes/$"))
    assert page.locator("#recovery-codes li").count() == 10

    # Sign out.
    page.goto(f"http://{slug}.localhost:{port}/")
    page.click(".topbar details.user-menu summary")
    page.click("text=Sign out")
    page.wait_for_url(re.compile(r".*/accounts/login/$"))

    # Password alone is not enough...
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/account/2fa/authenticate/$"))
    page.fill("input[name=code]", "000000")
    page.click("button[type=submit]")
    assert "That code is not valid" in page.inner_text("body")
    # ...the next code from the app is. (The enrolment code cannot be used twice.)
    page.fill("input[name=code]", _code(secret, step_offset=1))
    page.click("button[type=submit]")
    page.wait_for_url(f"http://{slug}.localhost:{port}/")
    assert "Welcome" in page.inner_text("h1")
    assert errors == []


@pytest.fixture
def workspace(slug, django_db_blocker):
    """A committed workspace for `slug`, made before the browser starts (Playwright's
    event loop makes the test body an async context, where Django refuses queries)."""
    from tenants.services import tenant_provision
    from tests.helpers import make_user

    with django_db_blocker.unblock():
        owner = make_user(f"founder@{slug}.test", "Small Screen")
        tenant_provision(slug=slug, name="Small Screen Co", owner=owner, method="clone")
        connection.set_schema_to_public()
    return slug


def test_the_app_fits_a_375px_screen(workspace, live_server_url, browser):
    slug = workspace
    port = live_server_url.rsplit(":", 1)[1]
    page = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True).new_page()
    page.goto(f"http://{slug}.localhost:{port}/accounts/login/")
    page.fill("input[name=login]", f"founder@{slug}.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"http://{slug}.localhost:{port}/")
    for path in ("/", "/settings/", "/settings/branding/", "/settings/members/", "/settings/security/", "/account/security/"):
        page.goto(f"http://{slug}.localhost:{port}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (path, width)
    # The menu opens from the top bar on a small screen.
    assert not page.locator(".sidebar").is_visible() or page.locator(".sidebar").bounding_box()["x"] < 0
    page.click(".nav-toggle-label")
    page.wait_for_timeout(300)
    assert page.locator(".sidebar").bounding_box()["x"] >= 0
