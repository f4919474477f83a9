"""CRM settings pages: custom fields, pipelines and stages, record visibility, and the
settings tabs each role sees."""

import pytest

from shared_apps.accounts.models import Membership
from shared_apps.audit.models import SecurityEvent
from tenant_apps.contacts.models import Contact
from tenant_apps.contacts.services import contact_create
from tenant_apps.deals.models import Deal, DealStageChange, Pipeline, Stage
from tenant_apps.deals.services import deal_create
from tenant_apps.records.models import CustomField
from tenants.models import Tenant

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


class TestCustomFields:
    def test_define_use_and_delete_a_field(self, client_for, admin, owner):
        client = client_for(admin)
        response = client.post("/settings/fields/", {"entity": "contact", "label": "Preferred channel",
                                                     "field_type": "select", "options": "Phone\nE-mail\nPhone\n"})
        assert response.status_code == 302
        field = CustomField.objects.get(key="preferred_channel")
        assert field.options == ["Phone", "E-mail"]
        # It shows on the contact form and saves from it.
        form = text(client.get("/contacts/new/"))
        assert 'name="cf_preferred_channel"' in form and "Preferred channel" in form
        client.post("/contacts/new/", {"first_name": "Ivan", "lifecycle_stage": "lead", "cf_preferred_channel": "E-mail"})
        contact = Contact.objects.get(first_name="Ivan")
        assert contact.custom == {"preferred_channel": "E-mail"}
        assert "E-mail" in text(client.get(f"/contacts/{contact.pk}/"))
        # A deletion asks first, says how many records lose a value, then removes them.
        confirm = text(client.get(f"/settings/fields/{field.pk}/delete/"))
        assert "1 record" in confirm
        assert client.post(f"/settings/fields/{field.pk}/delete/").status_code == 302
        contact.refresh_from_db()
        assert contact.custom == {} and not CustomField.objects.exists()

    def test_bad_definitions_are_explained(self, client_for, admin):
        client = client_for(admin)
        no_choices = client.post("/settings/fields/", {"entity": "deal", "label": "Kind", "field_type": "select"})
        assert no_choices.status_code == 400 and "Add at least one choice" in text(no_choices)
        client.post("/settings/fields/", {"entity": "deal", "label": "Kind", "field_type": "text"})
        taken = client.post("/settings/fields/", {"entity": "deal", "label": "Kind", "field_type": "number"})
        assert taken.status_code == 400 and "already used" in text(taken)
        bad_key = client.post("/settings/fields/", {"entity": "deal", "label": "Size", "key": "1 bad", "field_type": "text"})
        assert bad_key.status_code == 400
        assert CustomField.objects.count() == 1

    def test_edit_keeps_key_and_type_and_inactive_hides(self, client_for, admin, owner):
        client = client_for(admin)
        client.post("/settings/fields/", {"entity": "contact", "label": "Score", "field_type": "number"})
        field = CustomField.objects.get()
        contact_create(actor=owner, data={"first_name": "Ivan", "custom": {"score": 5}})
        client.post(f"/settings/fields/{field.pk}/", {"label": "Lead score", "is_required": "", "is_active": ""})
        field.refresh_from_db()
        assert (field.key, field.field_type, field.label, field.is_active) == ("score", "number", "Lead score", False)
        assert 'name="cf_score"' not in text(client.get("/contacts/new/"))
        assert Contact.objects.get().custom == {"score": 5}

    def test_reorder(self, client_for, admin):
        client = client_for(admin)
        for label in ("One", "Two", "Three"):
            client.post("/settings/fields/", {"entity": "company", "label": label, "field_type": "text"})
        three = CustomField.objects.get(key="three")
        client.post("/settings/fields/reorder/", {"entity": "company", "field": three.pk, "move": "up"})
        assert list(CustomField.objects.order_by("position").values_list("key", flat=True)) == ["one", "three", "two"]
        stale = client.post("/settings/fields/reorder/", {"entity": "company", "ids": [three.pk]}, follow=True)
        assert "out of date" in text(stale)

    def test_a_field_of_another_type_is_listed_under_its_own_tab(self, client_for, admin):
        client = client_for(admin)
        client.post("/settings/fields/", {"entity": "deal", "label": "Deal only", "field_type": "text"})
        assert "Deal only" in text(client.get("/settings/fields/?entity=deal"))
        assert "Deal only" not in text(client.get("/settings/fields/?entity=contact"))
        assert client.get("/settings/fields/?entity=nonsense").status_code == 200


class TestPipelines:
    def test_create_a_pipeline_with_stages(self, client_for, owner):
        client = client_for(owner)
        response = client.post("/settings/pipelines/", {"name": "Partners", "stages": "Intro 10\nTerms 50%\n"})
        pipeline = Pipeline.objects.get(name="Partners")
        assert response["Location"] == f"/settings/pipelines/{pipeline.pk}/"
        assert [(s.name, s.probability, s.kind) for s in pipeline.stages.order_by("position")] == [
            ("Intro", 10, "open"), ("Terms", 50, "open"), ("Won", 100, "won"), ("Lost", 0, "lost")]
        bad = client.post("/settings/pipelines/", {"name": "Broken", "stages": "No probability here"})
        assert bad.status_code == 400 and "Line 1" in text(bad)
        assert not Pipeline.objects.filter(name="Broken").exists()

    def test_stages_add_rename_reorder_delete(self, client_for, owner):
        client = client_for(owner)
        pipeline = Pipeline.objects.get(is_default=True)
        client.post(f"/settings/pipelines/{pipeline.pk}/stages/add/", {"new-name": "Contract", "new-probability": "90"})
        stages = list(pipeline.stages.order_by("position"))
        assert [s.name for s in stages][-3:] == ["Contract", "Won", "Lost"]
        contract = stages[-3]
        client.post(f"/settings/pipelines/stages/{contract.pk}/", {f"s{contract.pk}-name": "Signed",
                                                                  f"s{contract.pk}-probability": "95"})
        contract.refresh_from_db()
        assert (contract.name, contract.probability) == ("Signed", 95)
        bad = client.post(f"/settings/pipelines/stages/{contract.pk}/", {f"s{contract.pk}-name": "",
                                                                        f"s{contract.pk}-probability": "150"}, follow=True)
        assert bad.status_code == 200
        contract.refresh_from_db()
        assert contract.probability == 95
        client.post(f"/settings/pipelines/{pipeline.pk}/stages/reorder/", {"stage": contract.pk, "move": "up"})
        open_names = list(pipeline.stages.filter(kind="open").order_by("position").values_list("name", flat=True))
        assert open_names[-2:] == ["Signed", stages[-4].name]
        # Deleting a stage with deals asks where they go, and keeps the move in their history.
        deal = deal_create(actor=owner, data={"title": "Website", "stage": contract.pk})
        page = text(client.get(f"/settings/pipelines/stages/{contract.pk}/delete/"))
        assert "1 deal" in page and 'name="move_to"' in page
        won = pipeline.stages.get(kind="won")
        client.post(f"/settings/pipelines/stages/{contract.pk}/delete/", {"move_to": won.pk})
        assert Stage.objects.filter(pk=contract.pk).exists()  # Won is not a place to dump deals
        target = pipeline.stages.filter(kind="open").first()
        client.post(f"/settings/pipelines/stages/{contract.pk}/delete/", {"move_to": target.pk})
        assert not Stage.objects.filter(pk=contract.pk).exists()
        deal.refresh_from_db()
        assert deal.stage == target and deal.status == "open"
        assert DealStageChange.objects.filter(deal=deal, to_stage=target).exists()

    def test_won_and_lost_cannot_be_deleted(self, client_for, owner):
        won = Pipeline.objects.get(is_default=True).stages.get(kind="won")
        client_for(owner).post(f"/settings/pipelines/stages/{won.pk}/delete/")
        assert Stage.objects.filter(pk=won.pk).exists()

    def test_default_and_deletion_rules(self, client_for, owner):
        client = client_for(owner)
        default = Pipeline.objects.get(is_default=True)
        client.post("/settings/pipelines/", {"name": "Partners", "stages": "Intro 10"})
        partners = Pipeline.objects.get(name="Partners")
        client.post(f"/settings/pipelines/{partners.pk}/", {"name": "Partners", "is_default": "on"})
        assert Pipeline.objects.get(is_default=True) == partners
        deal_create(actor=owner, data={"title": "Website", "stage": default.stages.filter(kind="open").first().pk})
        refused = client.post(f"/settings/pipelines/{default.pk}/delete/", follow=True)
        assert "still has deals" in text(refused) and Pipeline.objects.filter(pk=default.pk).exists()
        Deal.objects.all().delete()
        client.post(f"/settings/pipelines/{partners.pk}/delete/")
        assert list(Pipeline.objects.values_list("is_default", flat=True)) == [True]
        last = client.post(f"/settings/pipelines/{default.pk}/delete/", follow=True)
        assert "at least one pipeline" in text(last) and Pipeline.objects.count() == 1


class TestVisibility:
    def test_turning_it_on_limits_sales_reps_at_once(self, client_for, owner, admin, sales_rep, tenant_a):
        contact_create(actor=owner, data={"first_name": "Olivia's", "last_name": "Contact"})
        rep = client_for(sales_rep)
        assert "Olivia&#x27;s Contact" in text(rep.get("/contacts/"))
        response = client_for(admin).post("/settings/visibility/", {"sales_see_own_only": "on"})
        assert response.status_code == 302
        assert Tenant.objects.get(pk=tenant_a.pk).sales_see_own_only
        assert SecurityEvent.objects.filter(kind="visibility_changed", tenant=tenant_a).exists()
        assert "Olivia&#x27;s Contact" not in text(rep.get("/contacts/"))
        client_for(admin).post("/settings/visibility/", {})
        assert "Olivia&#x27;s Contact" in text(rep.get("/contacts/"))


class TestTabs:
    def test_each_role_sees_the_tabs_it_may_use(self, client_for, owner, sales_rep, tenant_a):
        tabs = text(client_for(owner).get("/settings/"))
        for url in ("/settings/fields/", "/settings/pipelines/", "/settings/visibility/", "/settings/security/"):
            assert f'href="{url}"' in tabs
        rep = client_for(sales_rep)
        assert rep.get("/settings/").status_code == 403
        assert 'href="/settings/"' not in text(rep.get("/"))
        Membership.objects.filter(tenant=tenant_a, user=sales_rep).update(role="manager")
        manager = client_for(sales_rep)
        response = manager.get("/settings/")
        assert response.status_code == 302 and response["Location"] == "/settings/pipelines/"
        page = text(manager.get("/settings/pipelines/"))
        assert 'href="/settings/fields/"' not in page and 'href="/settings/members/"' not in page
