"""/api/v1/domains/: list, add, read, verify, make primary and remove, with the
documented error shape; only owners' and admins' keys; another workspace's domain is 404."""

import pytest

from tenants.models import Domain
from tenants.services.domains import domain_add
from tests.api.conftest import api, api_for, error_of, make_key  # noqa: F401  (fixtures)
from tests.domains.conftest import publish

pytestmark = pytest.mark.django_db


def test_list_shows_the_workspace_domains_only(api, tenant_b, outsider, django_assert_max_num_queries):
    domain_add(tenant=tenant_b, hostname="crm.globex-corp.example", surface="app", actor=outsider)
    with django_assert_max_num_queries(12):
        response = api.get("/api/v1/domains/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {row["domain"] for row in rows} == {"acme.localhost", "acme.portal.localhost"}
    assert all(row["is_platform"] and row["is_verified"] and row["dns_records"] is None for row in rows)


def test_add_verify_primary_and_remove(api, fake_dns):
    # add
    response = api.post("/api/v1/domains/", {"domain": "Bücher.acme-corp.example", "surface": "portal"},
                        content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["domain"] == "xn--bcher-kva.acme-corp.example" and body["surface"] == "portal"
    assert body["is_verified"] is False and body["is_platform"] is False
    domain = Domain.objects.get(pk=body["id"])
    assert body["dns_records"] == {
        "txt_name": "_tessera-challenge.xn--bcher-kva.acme-corp.example",
        "txt_value": f"tessera-verification={domain.verification_token}",
        "cname_name": "xn--bcher-kva.acme-corp.example",
        "cname_target": "acme.portal.localhost",
    }
    # verify: nothing published yet -> 409 with the reason, recorded on the domain
    response = api.post(f"/api/v1/domains/{domain.pk}/verify/")
    assert response.status_code == 409
    assert error_of(response)["code"] == "dns_nxdomain"
    assert api.get(f"/api/v1/domains/{domain.pk}/").json()["last_error"] == "dns_nxdomain"
    # verify: published -> 200, verified
    publish(fake_dns, domain)
    response = api.post(f"/api/v1/domains/{domain.pk}/verify/")
    assert response.status_code == 200 and response.json()["is_verified"] is True
    # primary
    response = api.post(f"/api/v1/domains/{domain.pk}/primary/")
    assert response.status_code == 200 and response.json()["is_primary"] is True
    # remove
    assert api.delete(f"/api/v1/domains/{domain.pk}/").status_code == 204
    assert not Domain.objects.filter(pk=domain.pk).exists()


def test_refusals_use_the_error_shape(api, tenant_b, outsider):
    domain_add(tenant=tenant_b, hostname="crm.globex-corp.example", surface="app", actor=outsider)
    taken = api.post("/api/v1/domains/", {"domain": "crm.globex-corp.example"}, content_type="application/json")
    assert taken.status_code == 409 and error_of(taken)["code"] == "domain_taken"
    invalid = api.post("/api/v1/domains/", {"domain": "https://x.example"}, content_type="application/json")
    assert invalid.status_code == 400 and error_of(invalid)["code"] == "domain_invalid"
    reserved = api.post("/api/v1/domains/", {"domain": "globex.localhost"}, content_type="application/json")
    assert reserved.status_code == 400 and error_of(reserved)["code"] == "domain_reserved"
    platform = Domain.objects.get(domain="acme.localhost")
    removed = api.delete(f"/api/v1/domains/{platform.pk}/")
    assert removed.status_code == 400 and error_of(removed)["code"] == "domain_platform_managed"


def test_a_plan_without_custom_domains_answers_402(api, tenant_a):
    from billing.models import Plan
    from tenants.models import Tenant

    Tenant.objects.filter(pk=tenant_a.pk).update(plan=Plan.objects.get(code="basic"))
    response = api.post("/api/v1/domains/", {"domain": "crm.acme-corp.example"}, content_type="application/json")
    assert response.status_code == 402
    error = error_of(response)
    assert error["code"] == "plan_feature_unavailable" and error["upgrade_url"] == "/settings/billing/"


def test_another_workspaces_domain_is_not_found(api, tenant_b, outsider, fake_dns):
    theirs = domain_add(tenant=tenant_b, hostname="crm.globex-corp.example", surface="app", actor=outsider)
    publish(fake_dns, theirs)
    for method, url in (("get", f"/api/v1/domains/{theirs.pk}/"), ("post", f"/api/v1/domains/{theirs.pk}/verify/"),
                        ("post", f"/api/v1/domains/{theirs.pk}/primary/"), ("delete", f"/api/v1/domains/{theirs.pk}/")):
        response = getattr(api, method)(url)
        assert response.status_code == 404 and error_of(response)["code"] == "not_found", url
    theirs.refresh_from_db()
    assert not theirs.is_verified and fake_dns.questions == []


def test_a_sales_reps_key_gets_403(api_for, sales_rep):
    response = api_for(sales_rep).get("/api/v1/domains/")
    assert response.status_code == 403 and error_of(response)["code"] == "permission_denied"
