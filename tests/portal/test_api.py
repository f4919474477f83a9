"""The staff REST API of portal access: invite, list, disable; in the API's error shape."""

import pytest
from django.db import connection
from django.test import Client

from portal.models import PortalAccess
from tenant_apps.activities.models import Activity
from tenant_apps.contacts.models import Contact
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def _api(user, tenant):
    client = Client(HTTP_HOST="acme.localhost")
    sign_in(client, user, tenant=tenant)
    return client


def test_a_sales_rep_invites_lists_and_disables(tenant_a, sales_rep, owner, mailbox):
    # given
    connection.set_tenant(tenant_a)
    contact = Contact.objects.create(first_name="Api", last_name="Person", email="api@person.test", owner=owner)
    client = _api(sales_rep, tenant_a)
    # when
    created = client.post("/api/v1/portal/accesses/", {"contact": contact.pk}, content_type="application/json")
    # then
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["contact"] == contact.pk and body["email"] == "api@person.test" and body["status"] == "invited"
    assert [m["To"] for m in mailbox()] == ["api@person.test"]
    listed = client.get("/api/v1/portal/accesses/").json()
    assert listed["next"] is None and [row["email"] for row in listed["results"]] == ["api@person.test"]
    disabled = client.post(f"/api/v1/portal/accesses/{body['id']}/disable/")
    assert disabled.status_code == 200 and disabled.json()["status"] == "disabled"
    again = client.post(f"/api/v1/portal/accesses/{body['id']}/disable/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_disabled"
    connection.set_tenant(tenant_a)
    assert set(Activity.objects.filter(contact=contact).values_list("event", flat=True)) >= {"portal_invited",
                                                                                              "portal_disabled"}


def test_refusals_come_in_the_error_shape(tenant_a, sales_rep, customer, owner, mailbox):
    connection.set_tenant(tenant_a)
    nomail = Contact.objects.create(first_name="No", last_name="Mail", owner=owner)
    client = _api(sales_rep, tenant_a)
    active = client.post("/api/v1/portal/accesses/", {"contact": customer.contact_id}, content_type="application/json")
    assert active.status_code == 409 and active.json()["error"]["code"] == "already_active"
    missing = client.post("/api/v1/portal/accesses/", {"contact": nomail.pk}, content_type="application/json")
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "contact_without_email"
    unknown = client.post("/api/v1/portal/accesses/", {"contact": 999999}, content_type="application/json")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
    invalid = client.post("/api/v1/portal/accesses/", {}, content_type="application/json")
    assert invalid.status_code == 400 and "contact" in invalid.json()["error"]["fields"]
    assert mailbox() == []


def test_a_read_only_member_may_not_invite(tenant_a, read_only, owner):
    connection.set_tenant(tenant_a)
    contact = Contact.objects.create(first_name="Ro", email="ro@person.test", owner=owner)
    response = _api(read_only, tenant_a).post("/api/v1/portal/accesses/", {"contact": contact.pk},
                                              content_type="application/json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    connection.set_tenant(tenant_a)
    assert not PortalAccess.objects.exists()


def test_another_workspace_sees_none_of_acmes_portal_users(tenant_a, tenant_b, customer, outsider):
    client = Client(HTTP_HOST="globex.localhost")
    sign_in(client, outsider, tenant=tenant_b)
    assert client.get("/api/v1/portal/accesses/").json() == {"next": None, "results": []}
    response = client.post(f"/api/v1/portal/accesses/{customer.pk}/disable/")
    assert response.status_code == 404
    connection.set_tenant(tenant_a)
    customer.refresh_from_db()
    assert customer.status == "active"


def test_the_list_costs_the_same_for_more_users(tenant_a, owner, customer, django_assert_max_num_queries):
    from tests.portal_helpers import make_customer

    for i in range(5):
        make_customer(tenant_a, email=f"bulk{i}@many.test", company=f"Bulk {i}", name=f"Bulk {i}")
    client = _api(owner, tenant_a)
    with django_assert_max_num_queries(12):
        rows = client.get("/api/v1/portal/accesses/").json()["results"]
    assert len(rows) == 6


def test_the_schema_documents_the_portal_endpoints(tenant_a, owner):
    schema = Client(HTTP_HOST="acme.localhost").get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/portal/accesses/" in schema["paths"]
    assert any(p.startswith("/api/v1/portal/accesses/{") and p.endswith("/disable/") for p in schema["paths"])
    operation = schema["paths"]["/api/v1/portal/accesses/"]["post"]
    assert "409" in operation["responses"] and "201" in operation["responses"]


def test_the_list_comes_a_page_at_a_time_in_a_fixed_number_of_queries(tenant_a, owner, django_assert_max_num_queries):
    from tests.portal_helpers import make_customer

    for i in range(5):
        make_customer(tenant_a, email=f"customer{i}@northwind.example")
    client = _api(owner, tenant_a)
    seen, url = [], "/api/v1/portal/accesses/?size=2"
    while url:
        with django_assert_max_num_queries(12):
            page = client.get(url)
        assert page.status_code == 200, page.content
        body = page.json()
        assert len(body["results"]) <= 2
        seen += [row["email"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(f"customer{i}@northwind.example" for i in range(5)) and len(seen) == len(set(seen))
    bad = client.get("/api/v1/portal/accesses/?cursor=forged")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_cursor"


def test_a_sales_rep_limited_to_own_records_lists_only_their_customers(
    tenant_a, restricted, sales_rep, owner
):
    from tests.portal_helpers import make_customer

    theirs = make_customer(tenant_a, email="mine@customer.test", company="Mine")
    make_customer(tenant_a, email="notmine@customer.test", company="Not mine")
    connection.set_tenant(tenant_a)
    Contact.objects.filter(pk=theirs.contact_id).update(owner=sales_rep)
    Contact.objects.exclude(pk=theirs.contact_id).update(owner=owner)
    connection.set_schema_to_public()
    rows = _api(sales_rep, tenant_a).get("/api/v1/portal/accesses/").json()["results"]
    assert [row["email"] for row in rows] == ["mine@customer.test"]
    assert len(_api(owner, tenant_a).get("/api/v1/portal/accesses/").json()["results"]) == 2
