"""/settings/domains/: owners and admins list, add, verify, make primary and remove the
workspace's domains; the page shows the TXT and CNAME records to create."""

import pytest
from django.test import Client

from billing.models import Plan
from tenants.models import Domain, Tenant
from tenants.services.domains import domain_add
from tests.domains.conftest import publish
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def test_the_page_lists_the_workspace_addresses_read_only(owner_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        response = owner_client.get("/settings/domains/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-domain="acme.localhost"' in page and 'data-domain="acme.portal.localhost"' in page
    assert "globex" not in page
    # The platform addresses have no remove or verify buttons.
    assert "/remove/" not in page and "/verify/" not in page
    assert 'name="domain"' in page and "Add domain" in page


def test_the_list_does_not_grow_queries_with_domains(tenant_a, owner, owner_client, django_assert_max_num_queries):
    for index in range(5):
        domain_add(tenant=tenant_a, hostname=f"d{index}.acme-corp.example", surface="app", actor=owner)
    with django_assert_max_num_queries(30):
        assert owner_client.get("/settings/domains/").status_code == 200


def test_adding_a_domain_shows_the_dns_records_to_create(owner_client):
    response = owner_client.post("/settings/domains/", {"domain": "CRM.acme-corp.example", "surface": "app"}, follow=True)
    page = response.content.decode()
    domain = Domain.objects.get(domain="crm.acme-corp.example")
    assert "crm.acme-corp.example has been added" in page
    assert f"<code data-txt-name>_tessera-challenge.crm.acme-corp.example</code>" in page
    assert f"<code data-txt-value>tessera-verification={domain.verification_token}</code>" in page
    assert "<code data-cname-target>acme.localhost</code>" in page
    assert "Waiting for DNS" in page


def test_the_cname_target_can_be_the_ingress_host(owner_client, settings):
    settings.DOMAIN_CNAME_TARGET = "ingress.tessera.example"
    owner_client.post("/settings/domains/", {"domain": "crm.acme-corp.example", "surface": "portal"})
    assert "<code data-cname-target>ingress.tessera.example</code>" in owner_client.get("/settings/domains/").content.decode()


def test_a_bad_domain_is_refused_on_the_form(owner_client):
    response = owner_client.post("/settings/domains/", {"domain": "https://crm.acme-corp.example/", "surface": "app"})
    assert response.status_code == 400
    assert "without http:// or https://" in response.content.decode()
    assert not Domain.objects.filter(domain__contains="acme-corp").exists()


def test_a_domain_of_another_workspace_is_refused_on_the_form(tenant_b, outsider, owner_client):
    domain_add(tenant=tenant_b, hostname="crm.globex-corp.example", surface="app", actor=outsider)
    response = owner_client.post("/settings/domains/", {"domain": "crm.globex-corp.example", "surface": "app"})
    assert response.status_code == 400
    assert "already in use" in response.content.decode()
    assert Domain.objects.get(domain="crm.globex-corp.example").tenant == tenant_b


def test_verify_now_success_and_failure(tenant_a, owner, owner_client, fake_dns):
    domain = domain_add(tenant=tenant_a, hostname="crm.acme-corp.example", surface="app", actor=owner)
    # failure: nothing published yet
    page = owner_client.post(f"/settings/domains/{domain.pk}/verify/", follow=True).content.decode()
    assert "could not be verified yet" in page and "does not exist in DNS yet" in page
    domain.refresh_from_db()
    assert not domain.is_verified and domain.last_error == "dns_nxdomain"
    # success
    publish(fake_dns, domain)
    page = owner_client.post(f"/settings/domains/{domain.pk}/verify/", follow=True).content.decode()
    assert "is verified and now leads to your workspace" in page
    domain.refresh_from_db()
    assert domain.is_verified and domain.last_error == ""
    assert Client(HTTP_HOST="crm.acme-corp.example").get("/").status_code == 302


def test_make_primary_and_remove(tenant_a, owner, owner_client, fake_dns):
    domain = domain_add(tenant=tenant_a, hostname="crm.acme-corp.example", surface="app", actor=owner)
    publish(fake_dns, domain)
    owner_client.post(f"/settings/domains/{domain.pk}/verify/")
    page = owner_client.post(f"/settings/domains/{domain.pk}/primary/", follow=True).content.decode()
    assert "Links to your workspace now use crm.acme-corp.example" in page
    assert Domain.objects.get(pk=domain.pk).is_primary
    page = owner_client.post(f"/settings/domains/{domain.pk}/remove/", follow=True).content.decode()
    assert "has been removed" in page
    assert not Domain.objects.filter(pk=domain.pk).exists()
    assert Domain.objects.get(domain="acme.localhost").is_primary


def test_without_the_plan_the_form_is_disabled_and_a_post_is_refused(tenant_a, owner_client):
    Tenant.objects.filter(pk=tenant_a.pk).update(plan=Plan.objects.get(code="basic"))
    page = owner_client.get("/settings/domains/").content.decode()
    assert "Custom domains are not included in your plan." in page and "fieldset class=\"plain\" disabled" in page
    response = owner_client.post("/settings/domains/", {"domain": "crm.acme-corp.example", "surface": "app"})
    assert response.status_code == 400 and "Upgrade the plan" in response.content.decode()
    assert not Domain.objects.filter(domain="crm.acme-corp.example").exists()


@pytest.mark.parametrize("action", ["verify", "primary", "remove"])
def test_an_admin_cannot_touch_another_workspaces_domain(action, tenant_a, tenant_b, admin, outsider, fake_dns):
    """Charlie's domain id, used on acme's host by acme's admin: 404, and nothing changes."""
    theirs = domain_add(tenant=tenant_b, hostname="crm.globex-corp.example", surface="app", actor=outsider)
    publish(fake_dns, theirs)
    client = Client(HTTP_HOST="acme.localhost")
    sign_in(client, admin, tenant=tenant_a)
    assert client.post(f"/settings/domains/{theirs.pk}/{action}/").status_code == 404
    theirs.refresh_from_db()
    assert (theirs.is_verified, theirs.is_primary, theirs.last_checked_at) == (False, False, None)
    assert fake_dns.questions == []


def test_the_settings_tab_is_for_owners_and_admins(tenant_a, sales_rep, owner_client):
    assert 'href="/settings/domains/"' in owner_client.get("/settings/").content.decode()
    client = Client(HTTP_HOST="acme.localhost")
    sign_in(client, sales_rep, tenant=tenant_a)
    assert client.get("/settings/domains/").status_code == 403
