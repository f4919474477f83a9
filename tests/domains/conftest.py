"""Custom-domain fixtures: a DNS server on loopback that the real resolver asks, and
signed-in clients of acme's owner and of the console."""

import pytest
from django.test import Client

from tests.domains.fake_dns import FakeDns
from tests.helpers import sign_in


@pytest.fixture(scope="session")
def _dns_server():
    server = FakeDns().start()
    yield server
    server.stop()


@pytest.fixture
def fake_dns(_dns_server, settings):
    """The fake DNS server, asked by the configured (dnspython) resolver."""
    settings.DOMAIN_TXT_RESOLVER = "tenants.dns.dnspython_txt_lookup"
    settings.DOMAIN_DNS_NAMESERVERS = ["127.0.0.1"]
    settings.DOMAIN_DNS_PORT = _dns_server.port
    settings.DOMAIN_DNS_TIMEOUT_SECONDS = 0.5
    _dns_server.reset()
    yield _dns_server
    _dns_server.reset()


def publish(fake_dns, domain, value=None):
    """Publish the TXT challenge of `domain` (its own value unless `value` is given)."""
    from tenants.services.domains import domain_challenge_name, domain_challenge_value

    fake_dns.records[domain_challenge_name(domain.domain)] = [value or domain_challenge_value(domain.verification_token)]


@pytest.fixture
def owner_client(tenant_a, owner):
    client = Client(HTTP_HOST="acme.localhost")
    sign_in(client, owner, tenant=tenant_a)
    return client
