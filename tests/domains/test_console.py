"""/console/domains/: every workspace's custom domains for platform staff, with status,
workspace link and last check; the platform sub-domains are not listed."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants.services.domains import domain_add, domain_verify
from tests.domains.conftest import publish
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(platform_staff):
    client = Client(HTTP_HOST="localhost")
    sign_in(client, platform_staff, otp_device=TOTPDevice.objects.get(user=platform_staff))
    return client


def test_the_console_lists_custom_domains_across_workspaces(console, tenant_a, tenant_b, owner, outsider, fake_dns,
                                                              django_assert_max_num_queries):
    # given one verified domain of acme's and one pending of globex's
    ours = domain_add(tenant=tenant_a, hostname="crm.acme-corp.example", surface="app", actor=owner)
    publish(fake_dns, ours)
    domain_verify(domain=ours, actor=owner)
    theirs = domain_add(tenant=tenant_b, hostname="clients.globex-corp.example", surface="portal", actor=outsider)
    domain_verify(domain=theirs, actor=outsider)
    for index in range(4):
        domain_add(tenant=tenant_b, hostname=f"d{index}.globex-corp.example", surface="app", actor=outsider)
    # when
    with django_assert_max_num_queries(25):
        response = console.get("/console/domains/")
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-domain="crm.acme-corp.example"' in page and 'data-domain="clients.globex-corp.example"' in page
    assert 'href="/console/tenants/acme/"' in page and 'href="/console/tenants/globex/"' in page
    assert "does not exist in DNS yet" in page  # globex's failed check
    assert "acme.localhost" not in page and "globex.portal.localhost" not in page
    pending = console.get("/console/domains/", {"status": "pending"}).content.decode()
    assert "clients.globex-corp.example" in pending and "crm.acme-corp.example" not in pending
    searched = console.get("/console/domains/", {"q": "acme"}).content.decode()
    assert "crm.acme-corp.example" in searched and "globex-corp" not in searched


def test_verified_domains_are_printed_as_helm_values(tenant_a, tenant_b, owner, outsider, fake_dns):
    from io import StringIO

    from django.core.management import call_command

    ours = domain_add(tenant=tenant_a, hostname="crm.acme-corp.example", surface="app", actor=owner)
    publish(fake_dns, ours)
    domain_verify(domain=ours, actor=owner)
    domain_add(tenant=tenant_b, hostname="pending.globex-corp.example", surface="app", actor=outsider)
    out = StringIO()
    call_command("custom_domain_hosts", stdout=out)
    assert out.getvalue().splitlines() == ["tls:", "  customDomains:", "    hosts:", '      - "crm.acme-corp.example"']
