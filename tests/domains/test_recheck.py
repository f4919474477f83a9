"""Verified custom domains keep proving they are the workspace's: the daily re-check asks
the DNS server on loopback (real dnspython) again, tells the owners and admins when the
TXT record is gone, and releases the domain after the grace period."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from shared_apps.audit.models import EventKind, SecurityEvent
from tenant_apps.notifications.models import Notification
from tenants import dns
from tenants.models import Domain
from tenants.services.domains import domain_add, domain_make_primary, domain_recheck_verified, domain_verify
from tenants.tasks import domain_recheck_task
from tests.domains import fake_dns as behaviour
from tests.domains.conftest import publish

pytestmark = pytest.mark.django_db
HOST = "crm.acme-corp.example"


@pytest.fixture
def verified(tenant_a, owner, fake_dns):
    domain = domain_add(tenant=tenant_a, hostname=HOST, surface="app", actor=owner)
    publish(fake_dns, domain)
    return domain_verify(domain=domain, actor=owner)


def _notes(tenant):
    connection.set_tenant(tenant)
    try:
        return list(Notification.objects.filter(kind="domain_proof").order_by("pk"))
    finally:
        connection.set_schema_to_public()


def _routes(host) -> bool:
    return Client(HTTP_HOST=host).get("/").status_code == 302


def test_a_domain_that_keeps_its_record_is_left_alone(verified, tenant_a, fake_dns):
    assert domain_recheck_task() == {"checked": 1, "missing": 0, "released": 0}
    domain = Domain.objects.get(pk=verified.pk)
    assert domain.is_verified and domain.last_error == "" and domain.proof_missing_since is None
    assert domain.last_checked_at > verified.last_checked_at
    assert _notes(tenant_a) == []


def test_a_missing_record_is_told_once_and_forgotten_when_it_is_back(verified, tenant_a, owner, admin, sales_rep,
                                                                    fake_dns):
    fake_dns.records.clear()
    assert domain_recheck_verified()["missing"] == 1
    domain = Domain.objects.get(pk=verified.pk)
    assert domain.is_verified and domain.last_error == dns.NXDOMAIN and domain.proof_missing_since
    assert _routes(HOST)  # still leads to the workspace during the grace period
    domain_recheck_verified(now=timezone.now() + timedelta(days=1))
    notes = _notes(tenant_a)
    assert sorted(n.user_id for n in notes) == sorted([owner.pk, admin.pk])
    assert HOST in notes[0].title and notes[0].url == "/settings/domains/"
    # the settings page says so, with the date it will be released
    from tests.helpers import sign_in

    client = Client(HTTP_HOST="acme.localhost")
    sign_in(client, owner, tenant=tenant_a)
    page = client.get("/settings/domains/").content.decode()
    assert "data-proof-missing" in page and "has been missing since" in page

    api = client.get(f"/api/v1/domains/{verified.pk}/").json()
    assert api["proof_missing_since"] and api["is_verified"]
    publish(fake_dns, verified)
    domain_recheck_verified()
    domain = Domain.objects.get(pk=verified.pk)
    assert domain.proof_missing_since is None and domain.last_error == ""
    assert "data-proof-missing" not in client.get("/settings/domains/").content.decode()


def test_after_the_grace_period_the_domain_is_released(verified, tenant_a, owner, fake_dns):
    domain_make_primary(domain=verified, actor=owner)
    fake_dns.records[f"_tessera-challenge.{HOST}"] = ["tessera-verification=the-new-owners-token"]
    domain_recheck_verified()
    assert _routes(HOST)
    assert domain_recheck_verified(now=timezone.now() + timedelta(days=7, minutes=1))["released"] == 1
    assert not Domain.objects.filter(domain=HOST).exists()
    assert not _routes(HOST)
    assert Domain.objects.get(tenant=tenant_a, surface="app", is_primary=True).domain == "acme.localhost"
    event = SecurityEvent.objects.get(kind=EventKind.DOMAIN_REMOVED, tenant=tenant_a, data__domain=HOST)
    assert event.data["reason"] == "proof_lost" and event.actor_id is None
    titles = [n.title for n in _notes(tenant_a)]
    assert any("no longer leads" in t for t in titles)


def test_dns_trouble_neither_starts_nor_resets_the_count(verified, tenant_a, fake_dns):
    fake_dns.records[f"_tessera-challenge.{HOST}"] = behaviour.SILENT
    domain_recheck_verified()
    domain = Domain.objects.get(pk=verified.pk)
    assert domain.last_error == dns.TIMEOUT and domain.proof_missing_since is None
    fake_dns.records[f"_tessera-challenge.{HOST}"] = behaviour.NXDOMAIN
    domain_recheck_verified()
    since = Domain.objects.get(pk=verified.pk).proof_missing_since
    assert since is not None
    fake_dns.records[f"_tessera-challenge.{HOST}"] = behaviour.SILENT
    domain_recheck_verified(now=timezone.now() + timedelta(days=8))
    domain = Domain.objects.get(pk=verified.pk)
    assert domain.proof_missing_since == since  # a timeout proves nothing either way...
    assert domain.is_verified  # ...so nothing is released on it; the next real answer decides


def test_platform_and_unverified_domains_are_not_asked(tenant_a, owner, fake_dns):
    domain_add(tenant=tenant_a, hostname="pending.acme-corp.example", surface="app", actor=owner)
    assert domain_recheck_verified() == {"checked": 0, "missing": 0, "released": 0}
    assert fake_dns.questions == []


def test_the_warning_reaches_a_bulgarian_admin_in_bulgarian(verified, tenant_a, admin, fake_dns):
    from shared_apps.accounts.models import User

    User.objects.filter(pk=admin.pk).update(language="bg")
    fake_dns.records.clear()
    domain_recheck_verified()
    [note] = [n for n in _notes(tenant_a) if n.user_id == admin.pk]
    assert HOST in note.title and "TXT" in note.body and "Restore" not in note.body
