"""After a downgrade nothing is deleted: what is over a limit can be viewed, changed,
exported and deleted, but not added to (docs/adr/0010-entitlements.md)."""

import pytest
from django.test import Client

from tenant_apps.contacts.models import Contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def over(on_plan, add_contacts):
    """acme with 5 contacts, moved to a plan of 3."""
    contacts = add_contacts(5)
    on_plan("free", max_contacts=3)
    return contacts


def test_the_contacts_list_shows_the_banner_and_disables_new(client_for, owner, over):
    page = client_for(owner).get("/contacts/").content.decode()
    assert "data-plan-notice" in page
    assert "The workspace has 5 contacts and the Free plan allows 3" in page
    assert 'href="/settings/billing/"' in page
    assert '<a class="btn btn-primary" href="/contacts/new/">' not in page
    assert '<button class="btn btn-primary" type="button" disabled' in page
    # and the import button is gone while over the limit
    assert "/imports/new/?entity=contact" not in page


def test_members_who_cannot_upgrade_are_told_who_can(client_for, sales_rep, over):
    page = client_for(sales_rep).get("/contacts/").content.decode()
    assert "An owner or admin of the workspace can upgrade the plan." in page
    assert 'href="/settings/billing/"' not in page


def test_no_banner_while_there_is_room(client_for, owner, on_plan, add_contacts):
    add_contacts(2)
    on_plan("free", max_contacts=3)
    page = client_for(owner).get("/contacts/").content.decode()
    assert "data-plan-notice" not in page and '<a class="btn btn-primary" href="/contacts/new/">' in page


def test_at_the_limit_the_banner_shows_but_imports_stay(client_for, owner, on_plan, add_contacts):
    add_contacts(3)
    on_plan("free", max_contacts=3)
    page = client_for(owner).get("/contacts/").content.decode()
    assert "The Free plan allows 3 contacts" in page
    assert "/imports/new/?entity=contact" in page  # updates of existing contacts still work


def test_over_the_limit_contacts_can_be_viewed_changed_exported_and_deleted(client_for, owner, over):
    client = client_for(owner)
    first = over[0]
    # viewed
    assert client.get(f"/contacts/{first.pk}/").status_code == 200
    # changed
    response = client.post(f"/contacts/{first.pk}/edit/", {"first_name": "Renamed", "lifecycle_stage": "lead",
                                                           "owner": str(owner.pk)})
    assert response.status_code == 302
    assert Contact.objects.get(pk=first.pk).first_name == "Renamed"
    # exported
    export = client.get("/records/export/contact/?file_format=csv")
    assert export.status_code == 200
    assert "Renamed" in b"".join(export.streaming_content).decode("utf-8-sig")
    # deleted
    assert client.post(f"/contacts/{first.pk}/delete/").status_code == 302
    assert Contact.objects.count() == 4
    # but not added to, through the form
    refused = client.post("/contacts/new/", {"first_name": "New", "lifecycle_stage": "lead", "owner": str(owner.pk)})
    assert "The workspace has 4 contacts and the Free plan allows 3" in refused.content.decode()
    assert Contact.objects.count() == 4


def test_deleting_down_to_the_limit_makes_room_again(in_acme, owner, over, on_plan):
    from tenant_apps.contacts.services import contact_create, contact_delete

    for contact in over[:3]:
        contact_delete(contact=contact, actor=owner)
    # 2 of 3: one fits again
    contact_create(actor=owner, data={"first_name": "Back"})
    assert Contact.objects.count() == 3


def test_the_api_refuses_new_contacts_but_reads_and_deletes(client_for, owner, over):
    client = client_for(owner)
    assert client.get("/api/v1/contacts/").status_code == 200
    refused = client.post("/api/v1/contacts/", {"first_name": "New"}, content_type="application/json")
    assert refused.status_code == 402 and refused.json()["error"]["code"] == "plan_limit_reached"
    assert client.delete(f"/api/v1/contacts/{over[0].pk}/").status_code == 204


def test_members_over_the_seats_keep_access_but_nobody_new_is_invited(client_for, owner, admin, read_only, on_plan):
    # given acme's 4 members moved to a plan of 2 seats
    on_plan("free", max_seats=2)
    # then everyone still gets in
    assert client_for(read_only).get("/contacts/").status_code == 200
    # and the invitation form is disabled with the reason; a crafted POST is refused too
    client = client_for(admin)
    page = client.get("/settings/members/").content.decode()
    assert "The workspace has 4 users and open invitations, and the Free plan allows 2" in page
    refused = client.post("/settings/members/", {"email": "new@example.com", "role": "sales"})
    assert "allows 2" in refused.content.decode()
    from shared_apps.accounts.models import Invitation

    assert not Invitation.objects.filter(email="new@example.com").exists()


def test_anonymous_and_other_hosts_see_no_banner_data(over):
    response = Client(HTTP_HOST="acme.localhost").get("/contacts/")
    assert response.status_code == 302


def test_the_new_contact_form_warns_before_it_is_filled_in(client_for, owner, over):
    page = client_for(owner).get("/contacts/new/").content.decode()
    assert "data-plan-notice" in page and "allows 3" in page
