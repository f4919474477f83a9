"""Concurrent consumers of a monthly limit, each in its own thread, connection and
transaction on the real PostgreSQL: the counter never passes the limit and exactly the
calls that fit succeed.

The threads commit (that is the point), so they work on globex and remove what they
wrote afterwards; the test's own transaction only reads."""

import threading

import pytest
from django.db import connection, transaction

from billing.entitlements import entitlement_consume
from billing.errors import PlanLimitReached
from billing.models import Plan, UsageCounter

pytestmark = pytest.mark.django_db

THREADS = 12


def _in_threads(work, count=THREADS):
    """Run work(i) in `count` threads started together; returns [result or exception]."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001  (collected for the assertions)
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _cleanup(tenant):
    def delete(_i):
        UsageCounter.objects.filter(tenant_id=tenant.pk).delete()

    _in_threads(delete, count=1)


@pytest.mark.parametrize(("key", "field", "column"), [
    ("emails", "max_emails_per_month", "emails_sent"),
    ("ai_credits", "ai_credits_per_month", "ai_credits_used"),
])
def test_concurrent_consumers_never_pass_the_limit(tenant_b, key, field, column):
    # given a plan of 7 a month (not saved: the threads cannot see this test's writes)
    plan = Plan(code="free", name="Free", **{field: 7})
    try:
        # when 12 threads each take 1 at the same moment, each in its own transaction
        def take(_i):
            with transaction.atomic():
                return entitlement_consume(tenant_b, key, 1, plan=plan)

        results = _in_threads(take)
        # then exactly 7 succeed, the others are refused, and the counter stops at 7
        totals = sorted(r for r in results if isinstance(r, int))
        refused = [r for r in results if isinstance(r, PlanLimitReached)]
        assert totals == [1, 2, 3, 4, 5, 6, 7], results
        assert len(refused) == THREADS - 7
        assert UsageCounter.objects.filter(tenant_id=tenant_b.pk).values_list(column, flat=True).get() == 7
    finally:
        _cleanup(tenant_b)


def test_concurrent_batches_are_all_or_nothing(tenant_b):
    # given 10 AI credits and 12 concurrent requests for 3 each
    plan = Plan(code="free", name="Free", ai_credits_per_month=10)
    try:
        def take(_i):
            with transaction.atomic():
                return entitlement_consume(tenant_b, "ai_credits", 3, plan=plan)

        results = _in_threads(take)
        # then three batches fit (9), none is split, and the last credit is left
        assert sorted(r for r in results if isinstance(r, int)) == [3, 6, 9], results
        assert UsageCounter.objects.get(tenant_id=tenant_b.pk).ai_credits_used == 9
    finally:
        _cleanup(tenant_b)


def test_concurrent_contact_creates_cannot_both_take_the_last_place(tenant_b, outsider):
    """What contact_create does, in 6 threads at once against a plan with room for 2: the
    plan's lock makes the count and the insert one step, so exactly 2 get in."""
    from tenant_apps.contacts.models import Contact, ContactEvent

    from billing.entitlements import entitlement_check

    def existing(_i):
        connection.set_tenant(tenant_b)
        return Contact.objects.count()

    plan = Plan(code="free", name="Free", max_contacts=_in_threads(existing, count=1)[0] + 2)
    made = []
    try:
        def create(i):
            connection.set_tenant(tenant_b)
            with transaction.atomic():
                entitlement_check(tenant_b, "contacts", 1, plan=plan)
                contact = Contact.objects.create(first_name=f"Racer {i}", owner=outsider, created_by=outsider)
            made.append(contact.pk)
            return contact.pk

        results = _in_threads(create, count=6)
        assert len(made) == 2, results
        assert sum(isinstance(r, PlanLimitReached) for r in results) == 4
    finally:
        def delete(_i):
            connection.set_tenant(tenant_b)
            Contact.objects.filter(pk__in=made).delete()
            ContactEvent.objects.filter(pgh_obj_id__in=made).delete()

        _in_threads(delete, count=1)
