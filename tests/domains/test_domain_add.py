"""domain_add: host-name rules (a clear refusal each), uniqueness across the platform,
the plan's entitlement and the per-workspace limit. A refusal writes nothing."""

import pytest

from billing.errors import PlanFeatureUnavailable
from billing.models import Plan
from shared_apps.audit.models import EventKind, SecurityEvent
from tenants.errors import DomainInvalid, DomainLimitReached, DomainReserved, DomainTaken
from tenants.models import Domain, Tenant
from tenants.services.domains import domain_add, domain_normalise

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("crm.example.com", "crm.example.com"),
        ("  CRM.Example.COM.  ", "crm.example.com"),
        ("bücher.example.de", "xn--bcher-kva.example.de"),
        ("клиенти.пример.бг", "xn--e1afbffo9a.xn--e1afmkfd.xn--90ae"),
        ("a-b.c-d.example", "a-b.c-d.example"),
    ],
)
def test_host_names_are_normalised_to_lower_case_punycode(given, expected):
    assert domain_normalise(given) == expected


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("", "Enter a domain name"),
        ("https://crm.example.com", "without http"),
        ("crm.example.com/login", "without a path"),
        ("crm.example.com:8443", "without a port"),
        ("me@example.com", "not an e-mail address"),
        ("192.0.2.10", "IP address"),
        ("[2001:db8::1]", "IP address"),
        ("*.example.com", "Wildcard"),
        ("intranet", "at least one dot"),
        ("crm..example.com", "not a valid domain name"),
        ("under_score.example.com", "not a valid domain name"),
        ("-crm.example.com", "not a valid domain name"),
        (("a" * 63 + ".") * 4 + "com", "too long"),
    ],
)
def test_bad_host_names_are_refused_with_a_reason(given, says):
    with pytest.raises(DomainInvalid) as refused:
        domain_normalise(given)
    assert refused.value.code == "domain_invalid"
    assert says in str(refused.value.message)


@pytest.mark.parametrize("host", ["www.localhost", "globex.localhost", "x.portal.localhost", "deep.acme.localhost"])
def test_platform_hosts_are_reserved(tenant_a, owner, host):
    with pytest.raises(DomainReserved):
        domain_add(tenant=tenant_a, hostname=host, surface="app", actor=owner)


def test_the_operator_can_reserve_more_hosts(tenant_a, owner, settings):
    settings.DOMAIN_RESERVED_HOSTS = ["status.tessera.example"]
    with pytest.raises(DomainReserved):
        domain_add(tenant=tenant_a, hostname="eu.status.tessera.example", surface="app", actor=owner)
    assert domain_add(tenant=tenant_a, hostname="tessera.example", surface="app", actor=owner).domain == "tessera.example"


def test_a_domain_gets_a_random_token_and_a_security_log_entry(tenant_a, owner):
    first = domain_add(tenant=tenant_a, hostname="crm.acme-corp.example", surface="app", actor=owner)
    second = domain_add(tenant=tenant_a, hostname="clients.acme-corp.example", surface="portal", actor=owner)
    assert first.verification_token != second.verification_token
    assert (first.is_verified, first.is_primary, first.surface) == (False, False, "app")
    event = SecurityEvent.objects.get(kind=EventKind.DOMAIN_ADDED, data__domain="crm.acme-corp.example")
    assert (event.tenant, event.actor, event.data["surface"]) == (tenant_a, owner, "app")


def test_another_workspace_cannot_add_a_domain_that_is_taken(tenant_a, tenant_b, owner, outsider):
    # given acme holds the domain (not even verified yet)
    domain_add(tenant=tenant_a, hostname="crm.acme-corp.example", surface="app", actor=owner)
    # when globex tries it, in any spelling
    for spelling in ("crm.acme-corp.example", "CRM.Acme-Corp.Example."):
        with pytest.raises(DomainTaken) as refused:
            domain_add(tenant=tenant_b, hostname=spelling, surface="portal", actor=outsider)
        assert "already in use" in str(refused.value.message)
    # then nothing of globex's was written, and acme's domain is untouched
    assert list(Domain.objects.filter(domain="crm.acme-corp.example").values_list("tenant__slug", "surface")) == [("acme", "app")]
    assert not SecurityEvent.objects.filter(kind=EventKind.DOMAIN_ADDED, tenant=tenant_b).exists()
    # and the same workspace cannot add it twice either
    with pytest.raises(DomainTaken):
        domain_add(tenant=tenant_a, hostname="crm.acme-corp.example", surface="portal", actor=owner)


def test_an_international_domain_is_taken_in_its_punycode_form_too(tenant_a, tenant_b, owner, outsider):
    domain_add(tenant=tenant_a, hostname="bücher.example.de", surface="app", actor=owner)
    with pytest.raises(DomainTaken):
        domain_add(tenant=tenant_b, hostname="xn--bcher-kva.example.de", surface="app", actor=outsider)


def test_plans_without_custom_domains_are_refused_with_an_upgrade_hint(tenant_a, owner):
    Tenant.objects.filter(pk=tenant_a.pk).update(plan=Plan.objects.get(code="basic"))
    with pytest.raises(PlanFeatureUnavailable) as refused:
        domain_add(tenant=tenant_a, hostname="crm.acme-corp.example", surface="app", actor=owner)
    assert "Custom domains" in str(refused.value.message) and "Upgrade" in str(refused.value.message)
    assert refused.value.upgrade_url == "/settings/billing/"
    assert not Domain.objects.filter(domain="crm.acme-corp.example").exists()


def test_a_workspace_has_a_limit_of_custom_domains(tenant_a, owner, settings):
    settings.DOMAIN_LIMIT_PER_WORKSPACE = 2
    domain_add(tenant=tenant_a, hostname="one.acme-corp.example", surface="app", actor=owner)
    domain_add(tenant=tenant_a, hostname="two.acme-corp.example", surface="portal", actor=owner)
    with pytest.raises(DomainLimitReached) as refused:
        domain_add(tenant=tenant_a, hostname="three.acme-corp.example", surface="app", actor=owner)
    assert "at most 2" in str(refused.value.message)
    # The workspace's own two addresses do not count.
    assert Domain.objects.filter(tenant=tenant_a).count() == 4


def test_an_unknown_surface_is_refused(tenant_a, owner):
    with pytest.raises(DomainInvalid):
        domain_add(tenant=tenant_a, hostname="crm.acme-corp.example", surface="admin", actor=owner)
