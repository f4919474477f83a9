"""Routing of every surface by Host header: public, app, portal, unknown, suspended."""

import pytest

from tenants.models import Tenant
from tenants.services import tenant_suspend


@pytest.mark.django_db
class TestSurfaces:
    def test_public_host_serves_the_site(self, public_client):
        response = public_client.get("/")
        assert response.status_code == 200
        assert b"Create your workspace" in response.content

    def test_public_host_with_port_and_www(self, client):
        assert client.get("/pricing/", HTTP_HOST="localhost:8000").status_code == 200
        assert client.get("/pricing/", HTTP_HOST="www.localhost").status_code == 200

    def test_app_host_serves_the_app(self, app_client):
        response = app_client.get("/accounts/login/")
        assert response.status_code == 200
        assert "Sign in to Acme Ltd" in response.content.decode()

    def test_app_host_has_no_public_pages(self, app_client):
        assert app_client.get("/pricing/").status_code == 404
        assert app_client.get("/console/").status_code == 404

    def test_portal_host_serves_the_portal(self, portal_client):
        response = portal_client.get("/")
        assert response.status_code == 200
        assert "Acme Ltd" in response.content.decode()

    def test_portal_host_has_no_app_pages(self, portal_client):
        assert portal_client.get("/accounts/login/").status_code == 404
        assert portal_client.get("/settings/").status_code == 404

    def test_host_names_are_case_insensitive(self, client):
        assert client.get("/accounts/login/", HTTP_HOST="ACME.Localhost").status_code == 200


@pytest.mark.django_db
class TestUnknownHosts:
    @pytest.mark.parametrize("host", ["nope.localhost", "evil.example.com", "acme.localhost.evil.com", "localhost.evil"])
    def test_unknown_host_gets_a_clear_404(self, client, host):
        response = client.get("/", HTTP_HOST=host)
        assert response.status_code == 404
        body = response.content.decode()
        assert "There is no workspace at this address" in body
        assert "Create your workspace" not in body  # not the public site

    def test_malformed_host_header_gets_the_404_page_not_a_500(self, client):
        response = client.get("/", HTTP_HOST="bad host!")
        assert response.status_code == 404
        assert "This address is not valid" in response.content.decode()

    def test_unknown_host_page_speaks_the_browser_language(self, client):
        response = client.get("/", HTTP_HOST="nope.localhost", HTTP_ACCEPT_LANGUAGE="bg")
        assert response.status_code == 404
        assert response["Content-Language"] == "bg"
        assert "Няма работно пространство на този адрес" in response.content.decode()

    def test_unverified_custom_domain_does_not_route(self, client, tenant_a):
        tenant_a.domains.create(domain="crm.acme.test", surface="app", is_primary=False, is_verified=False)
        assert client.get("/accounts/login/", HTTP_HOST="crm.acme.test").status_code == 404

    def test_verified_custom_domain_routes(self, client, tenant_a):
        tenant_a.domains.create(domain="crm.acme.test", surface="app", is_primary=False, is_verified=True)
        assert client.get("/accounts/login/", HTTP_HOST="crm.acme.test").status_code == 200

    def test_health_check_answers_on_any_host(self, client):
        assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").content == b"ok"


@pytest.mark.django_db
class TestSuspended:
    def test_suspended_workspace_gets_the_suspended_page_on_both_surfaces(self, client, tenant_a):
        tenant_suspend(tenant=tenant_a, reason="unpaid")
        for host, path in [("acme.localhost", "/"), ("acme.localhost", "/accounts/login/"), ("acme.portal.localhost", "/")]:
            response = client.get(path, HTTP_HOST=host)
            assert response.status_code == 403
            assert "Acme Ltd is suspended" in response.content.decode()

    def test_suspended_workspace_does_not_touch_others(self, client, tenant_a):
        tenant_suspend(tenant=tenant_a)
        assert client.get("/accounts/login/", HTTP_HOST="globex.localhost").status_code == 200

    def test_resume_serves_again(self, client, tenant_a):
        from tenants.services import tenant_resume

        tenant_suspend(tenant=tenant_a)
        assert client.get("/accounts/login/", HTTP_HOST="acme.localhost").status_code == 403
        tenant_resume(tenant=tenant_a)
        assert client.get("/accounts/login/", HTTP_HOST="acme.localhost").status_code == 200

    def test_a_workspace_being_prepared_says_so(self, client, tenant_a):
        Tenant.objects.filter(pk=tenant_a.pk).update(is_ready=False)
        response = client.get("/", HTTP_HOST="acme.localhost")
        assert response.status_code == 503
        assert response["Retry-After"] == "5"


@pytest.mark.django_db
def test_host_resolution_is_cached(client, django_assert_num_queries, tenant_a):
    client.get("/accounts/login/", HTTP_HOST="acme.localhost")
    from tenants.hosts import host_resolve

    with django_assert_num_queries(0):
        resolved = host_resolve("acme.localhost")
    assert resolved.tenant.pk == tenant_a.pk
    assert resolved.surface == "app"
