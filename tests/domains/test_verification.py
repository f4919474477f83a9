"""Custom domains route only after their DNS TXT challenge is found: the real look-up
(dnspython) asks a DNS server on loopback (tests/domains/fake_dns.py); the host is
tried through the real routing middleware with a Host header."""

import pytest
from django.test import Client

from shared_apps.audit.models import EventKind, SecurityEvent
from tenants import dns
from tenants.hosts import tenant_url
from tenants.models import Domain
from tenants.services.domains import domain_add, domain_make_primary, domain_remove, domain_verify
from tests.domains import fake_dns as behaviour
from tests.domains.conftest import publish

pytestmark = pytest.mark.django_db


def routes(host) -> bool:
    """Whether `host` reaches a workspace (the app sends a visitor to sign in) rather
    than the unknown-host page."""
    response = Client(HTTP_HOST=host).get("/")
    assert response.status_code in (302, 404), response.status_code
    return response.status_code == 302


def test_a_domain_routes_only_after_its_txt_record_is_verified(tenant_a, owner, fake_dns):
    # given
    domain = domain_add(tenant=tenant_a, hostname="crm.acme-corp.example", surface="app", actor=owner)
    assert not domain.is_verified and len(domain.verification_token) >= 32
    assert not routes("crm.acme-corp.example")  # (and that answer is now cached)
    publish(fake_dns, domain)
    # when
    domain = domain_verify(domain=domain, actor=owner)
    # then
    assert domain.is_verified and domain.verified_at and domain.last_checked_at and domain.last_error == ""
    assert fake_dns.questions == ["_tessera-challenge.crm.acme-corp.example"]
    response = Client(HTTP_HOST="crm.acme-corp.example").get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert SecurityEvent.objects.filter(kind=EventKind.DOMAIN_VERIFIED, tenant=tenant_a,
                                        data__domain="crm.acme-corp.example").count() == 1


def test_a_portal_domain_leads_to_the_portal(tenant_a, owner, fake_dns):
    domain = domain_add(tenant=tenant_a, hostname="clients.acme-corp.example", surface="portal", actor=owner)
    publish(fake_dns, domain)
    domain_verify(domain=domain, actor=owner)
    response = Client(HTTP_HOST="clients.acme-corp.example").get("/", follow=True)
    assert response.status_code == 200
    assert response.wsgi_request.surface == "portal"


@pytest.mark.parametrize(
    ("published", "reason"),
    [
        (behaviour.NXDOMAIN, dns.NXDOMAIN),
        (behaviour.EMPTY, dns.NO_RECORD),
        (["v=spf1 include:mail.example -all"], dns.NO_RECORD),
        (["tessera-verification=someone-elses-token"], dns.WRONG_VALUE),
        (behaviour.SILENT, dns.TIMEOUT),
        (behaviour.SERVFAIL, dns.FAILURE),
    ],
    ids=["no-such-name", "no-txt", "unrelated-txt", "wrong-token", "timeout", "server-failure"],
)
def test_a_failed_check_is_recorded_and_the_domain_does_not_route(tenant_a, owner, fake_dns, published, reason):
    # given
    domain = domain_add(tenant=tenant_a, hostname="crm.acme-corp.example", surface="app", actor=owner)
    fake_dns.records["_tessera-challenge.crm.acme-corp.example"] = published
    # when
    checked = domain_verify(domain=domain, actor=owner)
    # then
    checked.refresh_from_db()
    assert not checked.is_verified and checked.verified_at is None
    assert checked.last_error == reason and checked.last_checked_at is not None
    assert checked.last_error_message == str(dns.CHECK_ERRORS[reason])
    assert not routes("crm.acme-corp.example")
    assert not SecurityEvent.objects.filter(kind=EventKind.DOMAIN_VERIFIED, tenant=tenant_a).exists()


def test_a_later_check_succeeds_once_the_record_is_fixed(tenant_a, owner, fake_dns):
    domain = domain_add(tenant=tenant_a, hostname="crm.acme-corp.example", surface="app", actor=owner)
    publish(fake_dns, domain, value="tessera-verification=typo")
    assert domain_verify(domain=domain, actor=owner).last_error == dns.WRONG_VALUE
    assert not routes("crm.acme-corp.example")
    publish(fake_dns, domain)
    assert domain_verify(domain=domain, actor=owner).is_verified
    assert routes("crm.acme-corp.example")


def test_the_resolver_is_injectable(tenant_a, owner, settings):
    """A resolver from settings (or passed in) replaces DNS; its own crash is a failed check."""
    domain = domain_add(tenant=tenant_a, hostname="crm.acme-corp.example", surface="app", actor=owner)
    expected = f"tessera-verification={domain.verification_token}"
    asked = []
    verified = domain_verify(domain=domain, actor=owner, resolver=lambda name: asked.append(name) or [expected])
    assert verified.is_verified and asked == ["_tessera-challenge.crm.acme-corp.example"]

    other = domain_add(tenant=tenant_a, hostname="portal.acme-corp.example", surface="portal", actor=owner)
    settings.DOMAIN_TXT_RESOLVER = "tests.domains.test_verification.broken_resolver"
    assert domain_verify(domain=other, actor=owner).last_error == dns.FAILURE


def broken_resolver(name):
    raise ConnectionResetError("resolver went away")


def test_the_default_resolver_never_leaves_loopback_in_tests(tenant_a, owner):
    """Test settings send DNS questions to a closed loopback port: a quick failure."""
    domain = domain_add(tenant=tenant_a, hostname="crm.acme-corp.example", surface="app", actor=owner)
    assert domain_verify(domain=domain, actor=owner).last_error in (dns.FAILURE, dns.TIMEOUT)


def test_primary_domain_is_used_for_links_and_removal_falls_back(tenant_a, owner, fake_dns):
    # given a verified custom domain
    domain = domain_add(tenant=tenant_a, hostname="crm.acme-corp.example", surface="app", actor=owner)
    publish(fake_dns, domain)
    domain = domain_verify(domain=domain, actor=owner)
    assert tenant_url(tenant_a, "/deals/") == "http://acme.localhost/deals/"
    # when it is made primary
    domain_make_primary(domain=domain, actor=owner)
    # then links use it, and the platform address is no longer primary
    assert tenant_url(tenant_a, "/deals/") == "http://crm.acme-corp.example/deals/"
    assert not Domain.objects.get(domain="acme.localhost").is_primary
    assert tenant_url(tenant_a, surface="portal") == "http://acme.portal.localhost/"
    # when it is removed, it stops routing and the platform address is primary again
    domain_remove(domain=domain, actor=owner)
    assert Domain.objects.get(domain="acme.localhost").is_primary
    assert tenant_url(tenant_a, "/deals/") == "http://acme.localhost/deals/"
    assert not routes("crm.acme-corp.example")
    kinds = set(SecurityEvent.objects.filter(tenant=tenant_a, kind__startswith="domain_").values_list("kind", flat=True))
    assert kinds == {EventKind.DOMAIN_ADDED, EventKind.DOMAIN_VERIFIED, EventKind.DOMAIN_PRIMARY, EventKind.DOMAIN_REMOVED}


def test_an_unverified_domain_cannot_be_primary(tenant_a, owner):
    from tenants.errors import DomainNotVerified

    domain = domain_add(tenant=tenant_a, hostname="crm.acme-corp.example", surface="app", actor=owner)
    with pytest.raises(DomainNotVerified):
        domain_make_primary(domain=domain, actor=owner)
    assert Domain.objects.get(domain="acme.localhost").is_primary


def test_the_platform_address_cannot_be_removed_or_verified(tenant_a, owner):
    from tenants.errors import DomainPlatformManaged

    platform = Domain.objects.get(domain="acme.localhost")
    with pytest.raises(DomainPlatformManaged):
        domain_remove(domain=platform, actor=owner)
    with pytest.raises(DomainPlatformManaged):
        domain_verify(domain=platform, actor=owner)
    assert routes("acme.localhost")


def test_domains_left_unverified_are_pruned(tenant_a, tenant_b, owner, outsider, fake_dns):
    from django.utils import timezone

    from tenants.tasks import domain_prune_task

    # given an old unverified claim, a fresh one and an old verified domain
    old = domain_add(tenant=tenant_b, hostname="squatted.acme-corp.example", surface="app", actor=outsider)
    fresh = domain_add(tenant=tenant_b, hostname="fresh.globex-corp.example", surface="app", actor=outsider)
    kept = domain_add(tenant=tenant_a, hostname="crm.acme-corp.example", surface="app", actor=owner)
    publish(fake_dns, kept)
    domain_verify(domain=kept, actor=owner)
    Domain.objects.filter(pk__in=[old.pk, kept.pk]).update(created_at=timezone.now() - timezone.timedelta(days=8))
    # when
    assert domain_prune_task.delay().get() == 1
    # then the name is free again, for its real owner
    assert set(Domain.objects.filter(pk__in=[old.pk, fresh.pk, kept.pk]).values_list("pk", flat=True)) == {fresh.pk, kept.pk}
    assert SecurityEvent.objects.get(kind=EventKind.DOMAIN_REMOVED, tenant=tenant_b).data["reason"] == "unverified"
    assert domain_add(tenant=tenant_a, hostname="squatted.acme-corp.example", surface="app", actor=owner).tenant == tenant_a
