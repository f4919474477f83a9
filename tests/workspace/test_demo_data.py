"""Demo data: the small set of `make run` (through the services, idempotent) and the
large generated set of the benchmarks (COPY, at 1/1000 scale here)."""

import io
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Lower
from django.utils import timezone

from tenant_apps.activities.models import Activity
from tenant_apps.companies.models import Company
from tenant_apps.contacts.models import Contact, ContactEmail, ContactPhone
from tenant_apps.contacts.services import contact_update
from tenant_apps.deals.models import Deal, Stage
from tenant_apps.records.models import CustomField
from tenant_apps.tasks.models import Task
from tenant_apps.workspace.demo.large import large_counts, large_crm_seed

pytestmark = pytest.mark.django_db
E164 = re.compile(r"^\+[1-9]\d{7,14}$")


def _seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def _history(model_name: str) -> int:
    app_label, name = model_name.split(".")
    return apps.get_model(app_label, f"{name}Event").objects.count()


def _assert_consistent():
    """What every workspace's CRM data must satisfy, however it was written."""
    assert not Deal.objects.exclude(stage__pipeline=F("pipeline")).exists()
    assert not Deal.objects.filter(status="open").exclude(stage__kind=Stage.Kind.OPEN).exists()
    assert not Deal.objects.exclude(status="open").exclude(stage__kind=F("status")).exists()
    assert not Deal.objects.filter(status="lost", lost_reason="").exists()
    assert not Deal.objects.exclude(status="open").filter(closed_at__isnull=True).exists()
    duplicates = (ContactEmail.objects.annotate(e=Lower("email")).values("e").annotate(n=Count("id"))
                  .filter(n__gt=1))
    assert not duplicates.exists()
    assert all(E164.match(n) for n in ContactPhone.objects.values_list("number", flat=True))
    for contact in Contact.objects.prefetch_related("emails", "phones"):
        emails, phones = list(contact.emails.all()), list(contact.phones.all())
        assert [e.email for e in emails if e.is_primary] == ([contact.email] if emails else [])
        assert [p.number for p in phones if p.is_primary] == ([contact.phone] if phones else [])
    for deal in Deal.objects.prefetch_related("stage_changes"):
        changes = sorted(deal.stage_changes.all(), key=lambda c: (c.changed_at, c.pk))
        assert changes[0].from_stage_id is None and changes[-1].to_stage_id == deal.stage_id
        assert all(a.to_stage_id == b.from_stage_id for a, b in zip(changes, changes[1:], strict=False))


class TestSmallDemo:
    def test_it_fills_both_workspaces_once(self, tenant_a, tenant_b):
        # given the demo workspaces (the test's acme and globex) without CRM data
        # when seed_demo runs twice
        first = _seed()
        second = _seed()

        # then the first run filled each workspace and the second left them alone
        assert "acme: demo CRM data" in first and "globex: demo CRM data" in first
        assert "acme: has CRM data, left alone" in second and "globex: has CRM data, left alone" in second
        connection.set_tenant(tenant_a)
        # 200 contacts, and the portal's demo customer of the company with the most documents
        assert (Company.objects.count(), Contact.objects.count(), Deal.objects.count()) == (60, 201, 80)
        from portal.models import PortalAccess

        access = PortalAccess.objects.select_related("contact__company", "user").get()
        assert access.is_active and access.user.email == "customer@acme.example" and access.user.has_usable_password()
        assert access.contact.company.documents.exclude(status="draft").exists()
        assert "acme: portal customer customer@acme.example of " in first
        assert Deal.objects.filter(status="won").count() == 18 and Deal.objects.filter(status="lost").count() == 12
        assert Deal.objects.filter(status="open").values("stage").distinct().count() >= 4
        assert ContactEmail.objects.values("contact").annotate(n=Count("id")).filter(n__gt=1).exists()
        assert ContactPhone.objects.values("contact").annotate(n=Count("id")).filter(n__gt=1).exists()
        assert set(Activity.objects.values_list("kind", flat=True)) >= {"note", "call", "meeting", "system"}
        assert Activity.objects.filter(event="won").count() == 18
        now = timezone.now()
        assert Task.objects.filter(status="open", due_at__lt=now).exists()
        assert Task.objects.filter(status="done").exists() and Task.objects.filter(due_at__gt=now).exists()
        assert Contact.objects.filter(created_at__lt=now - timedelta(days=300)).exists()
        assert CustomField.objects.count() == 4 and Contact.objects.exclude(custom={}).count() == 200
        assert Contact.objects.filter(tags__isnull=False).exists()
        # made through the services: history rows exist as the UI would have written them
        assert _history("contacts.Contact") >= 200
        _assert_consistent()
        connection.set_tenant(tenant_b)
        assert Contact.objects.count() == 201  # with the portal customer, Павлина Порталова
        assert Contact.objects.filter(first_name__regex=r"^[А-Яа-я]").count() == 201
        assert CustomField.objects.filter(label="Предпочитан канал").exists()

    def test_a_bad_scale_is_refused_before_anything_is_written(self, tenant_a):
        with pytest.raises(CommandError, match="--scale"):
            _seed(size="large", scale=0)
        connection.set_tenant(tenant_a)
        assert not Contact.objects.exists()


class TestLargeCommand:
    def test_it_makes_the_large_workspace_with_the_demo_members(self, tenant_a):
        # when seed_demo --size large runs at 1/1000 scale, twice
        out = _seed(size="large", tenant="bigtest", scale=0.001)
        again = _seed(size="large", tenant="bigtest", scale=0.001)

        # then a new workspace holds the set, its members are acme's, and timings were printed
        from shared_apps.accounts.models import Membership
        from tenants.models import Tenant

        big = Tenant.objects.get(slug="bigtest")
        assert "bigtest: created" in out and "contacts_contact" in out and "bigtest: done in" in out
        assert "bigtest: has CRM data, left alone" in again
        roles = lambda tenant: set(Membership.objects.filter(tenant=tenant).values_list("user__email", "role"))  # noqa: E731
        assert roles(big) == roles(tenant_a)
        connection.set_tenant(big)
        assert Contact.objects.count() == large_counts(0.001)["contacts"]
        _assert_consistent()


class TestLargeGenerator:
    def test_it_writes_consistent_data_at_small_scale(self, in_acme, owner, admin, sales_rep):
        # given an empty workspace
        counts = large_counts(0.001)

        # when the large generator runs at 1/1000 scale
        timings = large_crm_seed(actor=owner, owners=[owner, admin, sales_rep], scale=0.001)

        # then the counts, the relations and the distributions hold
        assert (Company.objects.count(), Contact.objects.count(), Deal.objects.count(), Activity.objects.count()) == (
            counts["companies"], counts["contacts"], counts["deals"], counts["activities"])
        assert {t.table for t in timings} >= {"contacts_contact", "deals_deal", "activities_activity"}
        _assert_consistent()
        assert set(Contact.objects.values_list("owner", flat=True)) == {owner.pk, admin.pk, sales_rep.pk}
        assert Contact.objects.filter(first_name__regex=r"^[А-Яа-я]").exists()
        assert Contact.objects.filter(first_name__regex=r"^[A-Za-z]").exists()
        assert set(Deal.objects.values_list("status", flat=True)) == {"open", "won", "lost"}
        assert Contact.objects.exclude(custom={}).exists() and Deal.objects.exclude(custom={}).exists()
        oldest = Contact.objects.order_by("created_at").first().created_at
        assert timezone.now() - oldest > timedelta(days=200)
        # last activity is what the timeline says
        latest = dict(Activity.objects.filter(contact__isnull=False).values_list("contact").annotate(m=Max("occurred_at")))
        for contact in Contact.objects.all():
            assert contact.last_activity_at == latest.get(contact.pk)
        # the ids continue from the data (a new record after the seed gets a fresh id)
        assert Company.objects.create(name="After").pk > max(Company.objects.exclude(name="After").values_list("pk", flat=True))

    def test_it_writes_no_history_and_leaves_the_triggers_on(self, in_acme, owner):
        # when the large set is written
        large_crm_seed(actor=owner, owners=[owner], scale=0.001)

        # then no history rows were written for it (documented choice) ...
        assert _history("contacts.Contact") == _history("deals.Deal") == _history("contacts.ContactEmail") == 0
        # ... and a real change afterwards is tracked again
        contact = Contact.objects.first()
        contact_update(contact=contact, actor=owner, data={"job_title": "Buyer"})
        assert _history("contacts.Contact") == 1

    def test_it_is_deterministic(self, in_acme, tenant_b, owner, outsider):
        large_crm_seed(actor=owner, owners=[owner], scale=0.001)
        first = list(Contact.objects.order_by("pk").values_list("first_name", "last_name", "email", "lifecycle_stage"))
        connection.set_tenant(tenant_b)
        large_crm_seed(actor=outsider, owners=[outsider], scale=0.001)
        second = list(Contact.objects.order_by("pk").values_list("first_name", "last_name", "email", "lifecycle_stage"))
        assert first == second

    def test_board_has_open_deals_in_the_default_pipeline(self, in_acme, owner):
        large_crm_seed(actor=owner, owners=[owner], scale=0.01)
        open_default = Deal.objects.filter(Q(status="open") & Q(pipeline__is_default=True)).count()
        # at scale 1 that is ~15k: the board budget needs >= 5k
        assert open_default >= 50
