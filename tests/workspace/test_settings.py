"""Workspace settings: company profile, branding, members and roles."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shared_apps.accounts.models import Membership
from tests.helpers import sign_in
from themes.models import Branding


def _png(size=(64, 32), fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


@pytest.fixture
def admin_client(app_client, admin, tenant_a):
    sign_in(app_client, admin, tenant=tenant_a)
    return app_client


@pytest.mark.django_db
class TestProfile:
    def test_save_profile_and_rename_workspace(self, admin_client, tenant_a):
        data = {"name": "Acme Group", "legal_name": "Acme Group Ltd", "email": "hi@acme.test", "website": "acme.test",
                "default_language": "bg", "default_currency": "BGN", "timezone": "Europe/Sofia", "phone_region": "BG"}
        assert admin_client.post("/settings/", data).status_code == 302
        tenant_a.refresh_from_db()
        assert tenant_a.name == "Acme Group"
        page = admin_client.get("/settings/").content.decode()
        assert "Acme Group Ltd" in page and "https://acme.test" in page
        assert "Acme Group" in admin_client.get("/").content.decode()

    def test_bad_input_is_explained_and_nothing_saved(self, admin_client, tenant_a):
        data = {"name": "", "email": "nope", "website": "not a url at all", "default_language": "xx",
                "default_currency": "EUR", "timezone": "Mars/Olympus"}
        response = admin_client.post("/settings/", data)
        body = response.content.decode()
        assert response.status_code == 200
        assert "This field is required" in body and "Enter a valid email address" in body
        assert "Select a valid choice" in body
        tenant_a.refresh_from_db()
        assert tenant_a.name == "Acme Ltd"

    def test_portal_shows_the_profile(self, admin_client, portal_client):
        admin_client.post("/settings/", {"name": "Acme Ltd", "phone": "+359 2 999", "city": "Sofia",
                                         "default_language": "en", "default_currency": "EUR", "timezone": "Europe/Sofia", "phone_region": "BG"})
        page = portal_client.get("/").content.decode()
        assert "+359 2 999" in page and "Sofia" in page


@pytest.mark.django_db
class TestBranding:
    def _post(self, client, **extra):
        data = {"primary_colour": "#0f766e", "accent_colour": "#e11d48", **extra}
        return client.post("/settings/branding/", data)

    def test_colours_become_css_variables(self, admin_client, portal_client):
        assert self._post(admin_client).status_code == 302
        assert "--brand-primary:#0f766e" in admin_client.get("/").content.decode()
        assert "--brand-primary:#0f766e" in portal_client.get("/").content.decode()

    def test_a_colour_that_is_not_hex_is_refused(self, admin_client, tenant_a):
        response = self._post(admin_client, primary_colour="red; } body { display:none")
        assert "Enter a colour as #RRGGBB" in response.content.decode()

    def test_logo_upload_is_served_on_app_and_portal(self, admin_client, portal_client):
        response = self._post(admin_client, logo=SimpleUploadedFile("logo.png", _png(), "image/png"))
        assert response.status_code == 302
        page = admin_client.get("/").content.decode()
        import re

        src = re.search(r'src="(/branding/logo/[0-9a-f]{16}/)"', page).group(1)
        logo = portal_client.get(src)
        assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
        assert b"".join(logo.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"

    def test_logo_of_acme_is_not_served_on_globex(self, admin_client, app_client_b):
        self._post(admin_client, logo=SimpleUploadedFile("logo.png", _png(), "image/png"))
        import re

        src = re.search(r'src="(/branding/logo/[0-9a-f]{16}/)"', admin_client.get("/").content.decode()).group(1)
        assert app_client_b.get(src).status_code == 404

    def test_non_image_is_refused(self, admin_client, tenant_a):
        response = self._post(admin_client, logo=SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", "image/png"))
        assert "not an image we can use" in response.content.decode()
        tenant_a.activate()
        assert not Branding.objects.get().logo
        tenant_a.deactivate()

    def test_svg_is_refused(self, admin_client):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        response = self._post(admin_client, logo=SimpleUploadedFile("logo.svg", svg, "image/svg+xml"))
        assert "not an image we can use" in response.content.decode()

    def test_oversized_logo_is_refused(self, admin_client, tenant_a):
        big = _png() + b"\0" * (2 * 1024 * 1024)
        response = self._post(admin_client, logo=SimpleUploadedFile("logo.png", big, "image/png"))
        assert "the limit is 2.0" in response.content.decode()
        tenant_a.activate()
        branding = Branding.objects.get()
        tenant_a.deactivate()
        assert not branding.logo and branding.primary_colour != "#0f766e"

    def test_too_many_pixels_is_refused(self, admin_client):
        response = self._post(admin_client, logo=SimpleUploadedFile("logo.png", _png(size=(5000, 10)), "image/png"))
        assert "5000 × 10 pixels" in response.content.decode()

    def test_remove_logo(self, admin_client):
        self._post(admin_client, logo=SimpleUploadedFile("logo.png", _png(), "image/png"))
        self._post(admin_client, remove_logo="on")
        assert "/branding/logo/" not in admin_client.get("/").content.decode()


@pytest.mark.django_db
class TestMembers:
    def test_role_change(self, admin_client, tenant_a, sales_rep):
        membership = Membership.objects.get(user=sales_rep, tenant=tenant_a)
        response = admin_client.post(f"/settings/members/{membership.pk}/role/", {f"m{membership.pk}-role": "manager"})
        assert response.status_code == 302
        membership.refresh_from_db()
        assert membership.role == "manager"

    def test_admin_cannot_make_an_owner_or_touch_one(self, admin_client, tenant_a, owner, sales_rep):
        membership = Membership.objects.get(user=sales_rep, tenant=tenant_a)
        admin_client.post(f"/settings/members/{membership.pk}/role/", {f"m{membership.pk}-role": "owner"})
        membership.refresh_from_db()
        assert membership.role == "sales"
        owner_membership = Membership.objects.get(user=owner, tenant=tenant_a)
        admin_client.post(f"/settings/members/{owner_membership.pk}/remove/")
        assert Membership.objects.filter(pk=owner_membership.pk).exists()

    def test_the_last_owner_stays(self, app_client, tenant_a, owner):
        sign_in(app_client, owner, tenant=tenant_a)
        membership = Membership.objects.get(user=owner, tenant=tenant_a)
        response = app_client.post(f"/settings/members/{membership.pk}/role/", {f"m{membership.pk}-role": "admin"}, follow=True)
        assert "at least one owner" in response.content.decode()
        membership.refresh_from_db()
        assert membership.role == "owner"

    def test_removed_member_loses_access_at_once(self, admin_client, tenant_a, sales_rep):
        from django.test import Client

        theirs = Client(HTTP_HOST="acme.localhost")
        sign_in(theirs, sales_rep, tenant=tenant_a)
        membership = Membership.objects.get(user=sales_rep, tenant=tenant_a)
        admin_client.post(f"/settings/members/{membership.pk}/remove/")
        assert not Membership.objects.filter(pk=membership.pk).exists()
        assert theirs.get("/").status_code == 302

    def test_a_member_can_leave(self, app_client, tenant_a, sales_rep):
        sign_in(app_client, sales_rep, tenant=tenant_a)
        membership = Membership.objects.get(user=sales_rep, tenant=tenant_a)
        response = app_client.post(f"/settings/members/{membership.pk}/remove/")
        assert response["Location"] == "http://localhost/account/workspaces/"
        assert not Membership.objects.filter(pk=membership.pk).exists()

    def test_members_page_query_count_does_not_grow_with_members(self, admin_client, tenant_a, django_assert_max_num_queries):
        from tests.helpers import make_user

        with django_assert_max_num_queries(40):
            admin_client.get("/settings/members/")
        for i in range(15):
            Membership.objects.create(user=make_user(f"m{i}@acme.test"), tenant=tenant_a, role="sales")
        with django_assert_max_num_queries(40):
            admin_client.get("/settings/members/")


@pytest.mark.django_db
def test_dashboard_shows_real_numbers(app_client, owner, tenant_a):
    sign_in(app_client, owner, tenant=tenant_a)
    page = app_client.get("/").content.decode()
    assert '<div class="stat-value">4</div>' in page  # owner, admin, sales, read-only
    assert "0 of 4 members" in page
