"""Contact services: create, update, validation, permissions, merge, GDPR erase, history."""

import pytest

from shared_apps.audit.models import EventKind, SecurityEvent
from tenant_apps.activities.models import Activity
from tenant_apps.activities.services import activity_log
from tenant_apps.companies.services import company_create
from tenant_apps.contacts.models import Contact
from tenant_apps.contacts.selectors import contact_data_export, contact_duplicate_groups, contact_duplicates, contact_get
from tenant_apps.contacts.services import contact_create, contact_delete, contact_erase, contact_merge, contact_update
from tenant_apps.records.errors import RecordNotFound, RecordPermissionError, RecordValidationError
from tenant_apps.records.history_selectors import record_history
from tenant_apps.records.settings_services import custom_field_create

pytestmark = pytest.mark.django_db


def make(actor, **data):
    return contact_create(actor=actor, data={"first_name": "Ivan", "last_name": "Petrov", **data})


class TestCreate:
    def test_emails_phones_tags_and_owner(self, in_acme, sales_rep):
        contact = make(
            sales_rep,
            emails=["Ivan@Example.COM", {"email": "ivan.home@example.com", "label": "home", "is_primary": False}],
            phones=["0888 123 456", "+44 20 7946 0958"],
            tags=["VIP", "vip", " partner "],
        )
        assert contact.owner == sales_rep and contact.created_by == sales_rep
        assert contact.email == "ivan@example.com"
        assert contact.phone == "+359888123456"
        assert [e.email for e in contact.emails.all()] == ["ivan@example.com", "ivan.home@example.com"]
        assert sorted(contact.phones.values_list("number", flat=True)) == ["+359888123456", "+442079460958"]
        assert sorted(t.name for t in contact.tags.all()) == ["VIP", "partner"]
        assert Activity.objects.filter(contact=contact, event="created").exists()

    def test_nothing_to_identify_the_person(self, in_acme, owner):
        with pytest.raises(RecordValidationError) as error:
            contact_create(actor=owner, data={"job_title": "CTO"})
        assert "first_name" in error.value.errors
        assert not Contact.objects.exists()

    @pytest.mark.parametrize(
        "data, field",
        [
            ({"emails": ["not-an-email"]}, "emails"),
            ({"phones": ["call me maybe"]}, "phones"),
            ({"phones": ["12"]}, "phones"),
            ({"lifecycle_stage": "champion"}, "lifecycle_stage"),
            ({"website": "not a url"}, "website"),
            ({"first_name": "x" * 101}, "first_name"),
            ({"owner": 999999}, "owner"),
            ({"company": 999999}, "company"),
            ({"custom": {"nope": 1}}, "custom.nope"),
        ],
    )
    def test_bad_input_is_refused_and_nothing_is_written(self, in_acme, owner, data, field):
        with pytest.raises(RecordValidationError) as error:
            make(owner, **data)
        assert field in error.value.errors
        assert not Contact.objects.exists()

    def test_owner_must_be_a_member_of_this_workspace(self, in_acme, owner, outsider):
        with pytest.raises(RecordValidationError) as error:
            make(owner, owner=outsider.pk)
        assert error.value.errors["owner"] == "Choose a member of this workspace."

    def test_custom_fields_are_validated_by_type(self, in_acme, owner):
        custom_field_create(actor=owner, entity="contact", label="Budget", field_type="number")
        custom_field_create(actor=owner, entity="contact", label="Tier", field_type="select", options="Gold\nSilver")
        custom_field_create(actor=owner, entity="contact", label="Since", field_type="date")
        custom_field_create(actor=owner, entity="contact", label="Newsletter", field_type="boolean")
        contact = make(owner, custom={"budget": "12 500,50", "tier": "Gold", "since": "24.11.2026", "newsletter": "yes"})
        assert contact.custom == {"budget": 12500.5, "tier": "Gold", "since": "2026-11-24", "newsletter": True}
        with pytest.raises(RecordValidationError) as error:
            contact_update(contact=contact, actor=owner, data={"custom": {"budget": "lots", "tier": "Bronze"}})
        assert set(error.value.errors) == {"custom.budget", "custom.tier"}


class TestPermissions:
    def test_read_only_writes_nothing(self, in_acme, read_only):
        with pytest.raises(RecordPermissionError):
            make(read_only)

    def test_sales_deletes_only_their_own(self, in_acme, sales_rep, owner):
        theirs = make(owner)
        mine = make(sales_rep)
        with pytest.raises(RecordPermissionError):
            contact_delete(contact=theirs, actor=sales_rep)
        contact_delete(contact=mine, actor=sales_rep)
        assert not Contact.objects.filter(pk=mine.pk).exists()

    def test_restricted_sales_rep_sees_and_changes_only_their_own(self, restricted, sales_rep, owner):
        theirs = make(owner)
        mine = make(sales_rep, first_name="Mine")
        with pytest.raises(RecordNotFound):
            contact_get(user=sales_rep, pk=theirs.pk)
        assert contact_get(user=sales_rep, pk=mine.pk) == mine
        with pytest.raises(RecordPermissionError):
            contact_update(contact=theirs, actor=sales_rep, data={"job_title": "x"})
        assert contact_get(user=owner, pk=mine.pk) == mine  # owners still see everything


class TestUpdate:
    def test_partial_update_keeps_the_rest(self, in_acme, owner):
        contact = make(owner, emails=["a@example.com", "b@example.com"], job_title="CEO")
        contact_update(contact=contact, actor=owner, data={"emails": ["b@example.com"], "city": "Пловдив"})
        contact.refresh_from_db()
        assert (contact.email, contact.city, contact.job_title) == ("b@example.com", "Пловдив", "CEO")
        assert list(contact.emails.values_list("email", flat=True)) == ["b@example.com"]

    def test_history_records_who_changed_what(self, in_acme, owner, sales_rep):
        contact = make(owner, job_title="CEO")
        contact_update(contact=contact, actor=sales_rep, data={"job_title": "CTO"})
        history = record_history(record=contact)
        change = next(e for e in history if e["label"] == "update")
        assert change["user"] == sales_rep
        assert change["door"] == "ui"
        assert {"field": "job_title", "label": "job title", "old": "CEO", "new": "CTO"} in change["changes"]


class TestDuplicatesAndMerge:
    def test_duplicates_by_email_or_phone(self, in_acme, owner):
        a = make(owner, emails=["same@example.com"])
        b = make(owner, first_name="Other", emails=["SAME@example.com"])
        c = make(owner, first_name="Third", phones=["+359888000111"])
        d = make(owner, first_name="Fourth", phones=["0888 000 111"])
        assert contact_duplicates(contact=a, user=owner) == [b]
        assert contact_duplicates(contact=c, user=owner) == [d]
        groups = contact_duplicate_groups(user=owner)
        assert [(email, sorted(x.pk for x in g)) for email, g in groups] == [("same@example.com", sorted([a.pk, b.pk]))]

    def test_merge_moves_everything_to_the_primary(self, in_acme, owner):
        company = company_create(actor=owner, data={"name": "Acme"})
        primary = make(owner, emails=["ivan@example.com"], phones=["0888111222"], tags=["a"])
        other = make(owner, first_name="Иван", job_title="CTO", company=company, emails=["ivan@work.example"], tags=["b"])
        activity_log(actor=owner, kind="note", contact=other, body="Met at the fair")
        merged = contact_merge(primary=primary, duplicates=[other], actor=owner, choices={"first_name": other.pk})
        merged.refresh_from_db()
        assert merged.first_name == "Иван"
        assert merged.job_title == "CTO" and merged.company == company
        assert sorted(merged.emails.values_list("email", flat=True)) == ["ivan@example.com", "ivan@work.example"]
        assert merged.email == "ivan@example.com"
        assert sorted(t.name for t in merged.tags.all()) == ["a", "b"]
        assert Activity.objects.filter(contact=merged, kind="note").count() == 1
        assert Activity.objects.filter(contact=merged, event="merged").exists()
        assert not Contact.objects.filter(pk=other.pk).exists()

    def test_merge_needs_another_contact_and_the_permission(self, in_acme, owner, read_only):
        a = make(owner)
        with pytest.raises(RecordValidationError):
            contact_merge(primary=a, duplicates=[a], actor=owner)
        b = make(owner)
        with pytest.raises(RecordPermissionError):
            contact_merge(primary=a, duplicates=[b], actor=read_only)


class TestGdpr:
    def test_export_has_everything(self, in_acme, owner):
        contact = make(owner, emails=["ivan@example.com"], phones=["0888111222"], tags=["vip"])
        activity_log(actor=owner, kind="call", contact=contact, subject="Intro call", body="Talked about pricing")
        data = contact_data_export(contact=contact)
        assert data["contact"]["emails"][0]["email"] == "ivan@example.com"
        assert data["contact"]["tags"] == ["vip"]
        assert any(a["subject"] == "Intro call" for a in data["activities"])
        assert data["history"]

    def test_erase_removes_personal_data_everywhere(self, in_acme, owner):
        from tenant_apps.contacts.models import ContactEmailEvent, ContactEvent
        from tenant_apps.deals.services import deal_create

        contact = make(owner, emails=["ivan@example.com"], phones=["0888111222"])
        deal = deal_create(actor=owner, data={"title": "Big deal", "contacts": [contact.pk]})
        only_contact = activity_log(actor=owner, kind="note", contact=contact, body="Ivan's private phone is ...")
        shared = activity_log(actor=owner, kind="call", contact=contact, deal=deal, subject="Call with Ivan", body="...")
        contact_id = contact.pk
        contact_erase(contact=contact, actor=owner)
        assert not Contact.objects.filter(pk=contact_id).exists()
        assert not Activity.objects.filter(pk=only_contact.pk).exists()
        shared.refresh_from_db()
        assert (shared.subject, shared.body, shared.contact_id, shared.deal_id) == ("", "", None, deal.pk)
        assert not ContactEvent.objects.filter(pgh_obj_id=contact_id).exists()
        assert not ContactEmailEvent.objects.filter(contact_id=contact_id).exists()
        event = SecurityEvent.objects.get(kind=EventKind.DATA_ERASED)
        assert event.data == {"contact_id": contact_id}  # no personal data in the log

    def test_erase_is_for_managers(self, in_acme, owner, sales_rep):
        contact = make(sales_rep)
        with pytest.raises(RecordPermissionError):
            contact_erase(contact=contact, actor=sales_rep)
