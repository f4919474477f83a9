"""Undo deletes an import's records with one statement per table (writing.records_delete):
it must delete and clear exactly what Django's delete would."""

import pytest
from django.apps import apps
from django.db.models.deletion import Collector
from django.utils import timezone

from tenant_apps.activities.models import Activity
from tenant_apps.companies.models import Company
from tenant_apps.contacts.models import Contact
from tenant_apps.contacts.services import contact_create
from tenant_apps.deals.models import Deal, Pipeline
from tenant_apps.imports.writing import records_delete
from tenant_apps.tasks.models import Task

pytestmark = pytest.mark.django_db


def _what_django_deletes(queryset):
    collector = Collector(using="default", origin=queryset)
    collector.collect(queryset)
    deleted = {(model._meta.label, obj.pk) for model, objs in collector.data.items() for obj in objs}
    for fast in collector.fast_deletes:
        deleted |= {(fast.model._meta.label, pk) for pk in fast.values_list("pk", flat=True)}
    cleared = set()
    for (field, value), groups in collector.field_updates.items():
        assert value is None
        for group in groups:
            cleared |= {(field.model._meta.label, field.attname, obj.pk) for obj in group}
    return deleted, cleared


def test_records_delete_deletes_and_clears_what_django_would(in_acme, owner):
    # given: contacts with addresses, numbers, tags, a task, an activity, a deal; a company with contacts
    company = Company.objects.create(name="Gone Co", owner=owner)
    keep = contact_create(actor=owner, data={"first_name": "Keep", "emails": ["keep@example.com"], "tags": "vip"})
    Contact.objects.filter(pk=keep.pk).update(company=company)
    doomed = [contact_create(actor=owner, data={"first_name": f"D{i}", "emails": [f"d{i}@example.com"],
                                                "phones": ["0888 123 456"], "tags": "vip, lead"}) for i in range(3)]
    Task.objects.create(title="Call", contact=doomed[0])
    Activity.objects.create(kind="note", occurred_at=timezone.now(), contact=doomed[1])
    pipeline = Pipeline.objects.order_by("pk").first()
    deal = Deal.objects.create(title="Deal", pipeline=pipeline, stage=pipeline.stages.order_by("position").first())
    deal.contacts.add(doomed[0], keep)
    for queryset in (Contact.objects.filter(pk__in=[c.pk for c in doomed]), Company.objects.filter(pk=company.pk)):
        deleted, cleared = _what_django_deletes(queryset)
        assert deleted  # (the scenario reaches the relations)
        # when
        records_delete(queryset)
        # then
        for label, pk in deleted:
            assert not apps.get_model(label)._base_manager.filter(pk=pk).exists(), (label, pk)
        for label, attname, pk in cleared:
            assert apps.get_model(label)._base_manager.filter(pk=pk).values_list(attname, flat=True).get() is None
    assert Contact.objects.filter(pk=keep.pk).exists() and keep.tags.count() == 1
    assert list(deal.contacts.all()) == [keep]
