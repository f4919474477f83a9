"""Each limit through every door: the last place is taken, the next one is refused with
the plan's message (a form error, HTTP 402 with a stable code, an import row error)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from shared_apps.accounts.models import Invitation, Membership
from tenant_apps.contacts.models import Contact
from tenant_apps.imports.models import ImportJob
from tenant_apps.imports.services import import_job_create, import_job_map
from tests.imports.conftest import csv_bytes

pytestmark = pytest.mark.django_db
HEADER = ["Name", "E-mail"]


def in_schema(slug):
    from tenants.slugs import schema_name_for_slug

    return schema_name_for_slug(slug)


def _page(response) -> str:
    return response.content.decode()


# --- contacts -------------------------------------------------------------------------


def test_contact_form_takes_the_last_place_and_refuses_the_next(client_for, owner, on_plan, add_contacts,
                                                                 contact_count):
    # given a plan of 3 contacts with 2 taken
    on_plan("free", max_contacts=3)
    add_contacts(2)
    client = client_for(owner)
    # when the third is added: it is
    made = client.post("/contacts/new/", {"first_name": "Third", "lifecycle_stage": "lead", "owner": str(owner.pk)})
    assert made.status_code == 302
    # and the fourth is refused on the form, with the plan's message, and nothing is written
    refused = client.post("/contacts/new/", {"first_name": "Fourth", "lifecycle_stage": "lead",
                                             "owner": str(owner.pk), "company_name": "Ghost Ltd"})
    assert refused.status_code == 200
    assert "The Free plan allows 3 contacts" in _page(refused)
    assert contact_count() == 3
    from tenant_apps.companies.models import Company

    assert not Company.objects.filter(name="Ghost Ltd").exists()


def test_quick_create_refuses_past_the_limit(client_for, owner, on_plan, add_contacts, contact_count):
    on_plan("free", max_contacts=1)
    client = client_for(owner)
    assert client.post("/records/quick/contact/", {"first_name": "Only"}).status_code == 201
    refused = client.post("/records/quick/contact/", {"first_name": "One too many"})
    assert refused.status_code == 400
    assert "The Free plan allows 1 contacts" in _page(refused)
    assert contact_count() == 1


def test_api_post_answers_402_with_the_plans_code(client_for, owner, on_plan, add_contacts, contact_count):
    # given Basic (it has the API) with room for one more contact
    on_plan("basic", max_contacts=2)
    add_contacts(1)
    from tests.api.conftest import error_of

    client = client_for(owner)  # the app's own session calls
    made = client.post("/api/v1/contacts/", {"first_name": "Fits"}, content_type="application/json")
    assert made.status_code == 201, made.content
    refused = client.post("/api/v1/contacts/", {"first_name": "Does not"}, content_type="application/json",
                          HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 402
    error = error_of(refused)
    assert error["code"] == "plan_limit_reached"
    assert "The Basic plan allows 2 contacts" in error["message"]
    assert error["upgrade_url"] == "/settings/billing/"
    assert contact_count() == 2


def test_api_key_post_answers_402_too(in_acme, owner, on_plan, add_contacts):
    from tenant_apps.integrations.services import api_key_create

    on_plan("basic", max_contacts=0)
    connection.set_tenant(in_acme)
    _key, secret = api_key_create(actor=owner, name="Sync", scope="read_write")
    api = Client(HTTP_HOST="acme.localhost", HTTP_AUTHORIZATION=f"Bearer {secret}")
    refused = api.post("/api/v1/contacts/", {"first_name": "No room"}, content_type="application/json")
    assert refused.status_code == 402 and refused.json()["error"]["code"] == "plan_limit_reached"


def test_merging_never_needs_a_place(in_acme, owner, on_plan, add_contacts, contact_count):
    from tenant_apps.contacts.services import contact_merge

    # given a workspace at its limit
    on_plan("free", max_contacts=2)
    first, second = add_contacts(2)
    # when two contacts are merged: it works, and makes room
    contact_merge(primary=first, duplicates=[second], actor=owner)
    assert contact_count() == 1


# --- imports --------------------------------------------------------------------------


def _contacts_job(owner, rows, *, mode):
    upload = SimpleUploadedFile("people.csv", csv_bytes([HEADER, *rows]), content_type="text/csv")
    job = import_job_create(actor=owner, upload=upload, entity="contact")
    return import_job_map(job=job, actor=owner, mapping={"0": "full_name", "1": "emails"}, mode=mode)


def test_import_all_or_nothing_over_the_limit_imports_nothing_and_says_how_many_fit(
        in_acme, owner, on_plan, add_contacts, contact_count, run_import, media):
    # given room for 2 more contacts, and one existing contact the file updates
    on_plan("free", max_contacts=3)
    add_contacts(1)
    from tenant_apps.contacts.services import contact_create

    contact_create(actor=owner, data={"first_name": "Known", "emails": "known@example.com"})
    assert contact_count() == 2
    rows = [["Known Person", "known@example.com"], ["New One", "one@example.com"], ["New Two", "two@example.com"]]
    # when a file with one update and two new contacts (one too many) runs all or nothing
    job = run_import(_contacts_job(owner, rows, mode="all"), owner)
    # then nothing is written, the message says how many fit, and the report names the row
    assert job.status == ImportJob.Status.FAILED
    assert contact_count() == 2
    assert "room for 1 more contact" in job.message
    assert job.failed_count == 1
    report = open(media / job.error_report_path, encoding="utf-8-sig").read()
    assert "New Two" in report and "would be over the limit" in report and "New One" not in report


def test_import_at_exactly_the_limit_and_skipping_the_rows_over_it(
        in_acme, owner, on_plan, add_contacts, contact_count, run_import, media):
    on_plan("free", max_contacts=3)
    add_contacts(1)
    # a file of exactly the room left: all in
    job = run_import(_contacts_job(owner, [["A One", "a1@example.com"], ["A Two", "a2@example.com"]], mode="all"),
                     owner)
    assert job.status == ImportJob.Status.DONE and job.created_count == 2
    assert contact_count() == 3
    # at the limit, skipping: updates go through, new rows are refused row by row
    rows = [["A One Renamed", "a1@example.com"], ["B One", "b1@example.com"]]
    job = run_import(_contacts_job(owner, rows, mode="skip"), owner)
    assert job.status == ImportJob.Status.DONE
    assert (job.created_count, job.updated_count, job.failed_count) == (0, 1, 1)
    assert contact_count() == 3
    assert Contact.objects.get(email="a1@example.com").last_name == "One Renamed"


def test_import_counts_once_not_per_row(in_acme, owner, on_plan, run_import, media):
    from django.test.utils import CaptureQueriesContext

    on_plan("free", max_contacts=10_000)
    rows = [[f"Person {i}", f"p{i}@example.com"] for i in range(300)]
    job = _contacts_job(owner, rows, mode="all")
    with CaptureQueriesContext(connection) as queries:
        job = run_import(job, owner)
    assert job.created_count == 300
    counts = [q["sql"] for q in queries.captured_queries if "count(*)" in q["sql"].lower()
              and "contacts_contact" in q["sql"]]
    # one when the import is started (a clear answer at once), one when it runs: not one per row
    assert len(counts) == 2, counts


def test_import_of_contacts_is_refused_up_front_while_over_the_limit(
        client_for, owner, on_plan, add_contacts, media):
    # given a workspace over its contacts after a downgrade
    add_contacts(3)
    on_plan("free", max_contacts=2)
    client = client_for(owner)
    # when a contacts file is uploaded: refused with the reason, nothing stored
    response = client.post("/imports/new/", {
        "entity": "contact", "file": SimpleUploadedFile("p.csv", csv_bytes([HEADER, ["X", "x@example.com"]])),
    })
    assert response.status_code == 200
    assert "has 3 contacts" in _page(response) and "no new ones can be added or imported" in _page(response)
    assert not ImportJob.objects.exists()
    assert not list(media.rglob("*.csv"))
    # and through the API: 402
    api = client.post("/api/v1/imports/", {
        "file": SimpleUploadedFile("p.csv", csv_bytes([HEADER, ["X", "x@example.com"]])), "entity": "contact",
    })
    assert api.status_code == 402 and api.json()["error"]["code"] == "plan_limit_reached"
    # companies can still be imported
    companies = client.post("/imports/new/", {
        "entity": "company", "file": SimpleUploadedFile("c.csv", csv_bytes([["Name"], ["Initech"]])),
    })
    assert companies.status_code == 302


def test_an_import_started_after_a_downgrade_fails_with_the_reason(in_acme, owner, on_plan, add_contacts,
                                                                   run_import, media):
    from tenant_apps.imports.services import import_job_run

    on_plan("free", max_contacts=5)
    job = _contacts_job(owner, [["X", "x@example.com"]], mode="all")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
    add_contacts(6)
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "has 6 contacts" in job.message


# --- seats ----------------------------------------------------------------------------


def test_invitations_take_seats_up_to_the_limit(client_for, admin, on_plan, tenant_a):
    # given acme's 4 members on a plan of 5 seats
    on_plan("free", max_seats=5)
    client = client_for(admin)
    # when one is invited: the last seat
    sent = client.post("/settings/members/", {"email": "fifth@example.com", "role": "sales"})
    assert sent.status_code == 302
    # then the next invitation is refused, and the form says so and is disabled
    refused = client.post("/settings/members/", {"email": "sixth@example.com", "role": "sales"})
    assert refused.status_code == 200
    assert "The Free plan allows 5 users, open invitations included" in _page(refused)
    assert not Invitation.objects.filter(email="sixth@example.com").exists()
    page = _page(client.get("/settings/members/"))
    assert "data-plan-notice" in page and 'fieldset class="plain" disabled' in page
    # withdrawing the open invitation frees its seat
    from shared_apps.accounts.services.invitations import invitation_revoke

    invitation_revoke(invitation=Invitation.objects.get(email="fifth@example.com"), actor=admin)
    assert client.post("/settings/members/", {"email": "sixth@example.com", "role": "sales"}).status_code == 302


def test_an_open_invitation_can_be_accepted_unless_the_workspace_is_over_its_seats(tenant_a, owner, on_plan):
    from tests.helpers import make_user

    from shared_apps.accounts.services.invitations import invitation_accept, invitation_create

    on_plan("free", max_seats=5)
    connection.set_tenant(tenant_a)
    invitation_create(tenant=tenant_a, email="new@example.com", role="sales", actor=owner)
    token_hash = Invitation.objects.get(email="new@example.com").token_hash
    # the invitation holds its seat: accepting needs no other
    import hashlib
    import secrets

    token = secrets.token_urlsafe(16)
    Invitation.objects.filter(token_hash=token_hash).update(token_hash=hashlib.sha256(token.encode()).hexdigest())
    user = make_user("new@example.com", "New Person")
    # after a downgrade to 4 seats the workspace is over (4 members + 1 invitation): refused
    on_plan("free", max_seats=4)
    from billing.errors import PlanLimitReached

    with pytest.raises(PlanLimitReached):
        invitation_accept(tenant=tenant_a, token=token, user=user)
    assert not Membership.objects.filter(user=user).exists()
    # and the invitee's page says why when they sign in to accept it
    from tests.helpers import PASSWORD

    page = Client(HTTP_HOST="acme.localhost").post(f"/invite/{token}/", {"password": PASSWORD})
    assert page.status_code == 403 and "has no free seat on its plan" in _page(page)
    assert not Membership.objects.filter(user=user).exists()
    # back on 5 seats it works
    on_plan("free", max_seats=5)
    invitation_accept(tenant=tenant_a, token=token, user=user)
    assert Membership.objects.filter(user=user, tenant=tenant_a).exists()


# --- API access -----------------------------------------------------------------------


def test_api_keys_need_the_api_feature(client_for, owner, on_plan, in_acme):
    from tenant_apps.integrations.models import ApiKey
    from tenant_apps.integrations.services import api_key_create

    # given a key made while on Pro
    on_plan("pro")
    connection.set_tenant(in_acme)
    _key, secret = api_key_create(actor=owner, name="Sync", scope="read")
    api = Client(HTTP_HOST="acme.localhost", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/contacts/").status_code == 200
    # when the workspace moves to Free (no API)
    on_plan("free")
    # then the key is refused with 402 and the plan's code
    refused = api.get("/api/v1/contacts/")
    assert refused.status_code == 402
    body = refused.json()["error"]
    assert body["code"] == "plan_feature_unavailable" and body["upgrade_url"] == "/settings/billing/"
    # a wrong key is still a 401, not a hint about the plan
    assert Client(HTTP_HOST="acme.localhost", HTTP_AUTHORIZATION="Bearer tsk_nope_nope").get(
        "/api/v1/contacts/").status_code == 401
    # no new key can be made in settings: the form is disabled with an upgrade link
    client = client_for(owner)
    page = client.get("/settings/integrations/")
    assert "API access is not included in your plan" in _page(page) and "/settings/billing/" in _page(page)
    refused_form = client.post("/settings/integrations/", {"name": "Another", "scope": "read"})
    assert refused_form.status_code == 400
    assert "REST API access is not included in the Free plan" in _page(refused_form)
    assert ApiKey.objects.count() == 1
    # while the app's own pages keep using the API with their session
    assert client.get("/api/v1/contacts/").status_code == 200


# --- storage --------------------------------------------------------------------------


def test_storage_limit_refuses_an_upload_that_does_not_fit(client_for, owner, on_plan, media):
    # given 1 MB of storage, 900 kB of it used by a file of the workspace
    on_plan("free", max_storage_mb=1)
    folder = media / in_schema("acme") / "imports" / "old"
    folder.mkdir(parents=True)
    (folder / "old.csv").write_bytes(b"x" * 900_000)
    client = client_for(owner)
    # when a 200 kB file is uploaded: refused, nothing stored
    big = csv_bytes([HEADER] + [[f"P{i}", f"p{i}@example.com"] for i in range(9000)])
    assert 150_000 < len(big) < 300_000
    response = client.post("/imports/new/", {"entity": "contact", "file": SimpleUploadedFile("p.csv", big)})
    assert response.status_code == 200 and "1 MB of file storage" in _page(response)
    assert not ImportJob.objects.exists()
    # a small one fits
    small = csv_bytes([HEADER, ["Tiny", "tiny@example.com"]])
    assert client.post("/imports/new/", {"entity": "contact", "file": SimpleUploadedFile("s.csv", small)}
                       ).status_code == 302


def test_storage_limit_applies_to_the_logo(client_for, owner, on_plan, media):
    import io

    from PIL import Image

    on_plan("free", max_storage_mb=1)
    (media / in_schema("acme")).mkdir(parents=True)
    (media / in_schema("acme") / "filler.bin").write_bytes(b"x" * (1024 * 1024 - 10))
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(buffer, "PNG")
    client = client_for(owner)
    response = client.post("/settings/branding/", {
        "primary_colour": "#112233", "accent_colour": "#445566",
        "logo": SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png"),
    })
    assert response.status_code == 200 and "1 MB of file storage" in _page(response)
    assert not (media / "tenants").exists()


def test_api_answers_402_for_json_bodies_too(client_for, owner, on_plan):
    on_plan("pro", max_contacts=0)
    response = client_for(owner).post("/api/v1/contacts/", json.dumps({"first_name": "X"}),
                                      content_type="application/json")
    assert response.status_code == 402


# --- features without settings pages yet: the portal ----------------------------------


def test_the_customer_portal_needs_the_portal_feature(on_plan, portal_client):
    on_plan("pro")
    assert portal_client.get("/").status_code == 200
    on_plan("free")
    response = portal_client.get("/")
    assert response.status_code == 404 and "This customer portal is not available" in _page(response)
