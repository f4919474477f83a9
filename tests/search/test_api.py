"""GET /api/v1/search/: the groups as JSON; bad input is a 400 with a stable code."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_returns_the_groups(crm, client_for, owner):
    response = client_for(owner).get("/api/v1/search/", {"q": "ivan petrov"})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "ivan petrov"
    assert [g["type"] for g in body["groups"]] == ["contacts", "companies", "deals", "tasks", "notes"]
    [hit] = body["groups"][0]["hits"]
    assert hit["id"] == crm["ivan"].pk and hit["title"] == "Ivan Petrov" and hit["url"] == f"/contacts/{crm['ivan'].pk}/"
    assert set(hit) == {"type", "id", "title", "subtitle", "url", "rank"}
    assert body["groups"][0]["has_more"] is False


def test_types_and_per_type(crm, client_for, owner):
    body = client_for(owner).get("/api/v1/search/", {"q": "iva", "types": "deals,contacts", "per_type": "1"}).json()
    assert [g["type"] for g in body["groups"]] == ["contacts", "deals"]
    assert all(len(g["hits"]) == 1 and g["has_more"] for g in body["groups"])


@pytest.mark.parametrize("params, code", [
    ({"q": ""}, "invalid_query"),
    ({"q": "!"}, "invalid_query"),
    ({"q": "ivan", "types": "contacts,planets"}, "invalid_types"),
    ({"q": "ivan", "per_type": "0"}, "invalid_per_type"),
    ({"q": "ivan", "per_type": "many"}, "invalid_per_type"),
    ({"q": "ivan", "per_type": "²"}, "invalid_per_type"),
])
def test_bad_input_is_a_400_with_a_reason(crm, client_for, owner, params, code):
    response = client_for(owner).get("/api/v1/search/", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code and error["message"]


def test_restricted_rep_sees_only_their_own(crm, restricted, client_for, sales_rep):
    body = client_for(sales_rep).get("/api/v1/search/", {"q": "iva"}).json()
    assert [h["id"] for h in body["groups"][0]["hits"]] == [crm["ivanka"].pk]


def test_anonymous_and_other_workspace_get_nothing(crm, outsider, tenant_b):
    from django.conf import settings
    from django.test import Client

    from tests.helpers import sign_in

    assert Client(HTTP_HOST="acme.localhost").get("/api/v1/search/", {"q": "ivan"}).status_code in (401, 403)
    theirs = Client(HTTP_HOST="globex.localhost")
    sign_in(theirs, outsider, tenant=tenant_b)
    assert theirs.get("/api/v1/search/", {"q": "ivan"}).json()["groups"][0]["hits"][0]["subtitle"].endswith("globex.example")
    replayed = Client(HTTP_HOST="acme.localhost")
    replayed.cookies[settings.SESSION_COOKIE_NAME] = theirs.cookies[settings.SESSION_COOKIE_NAME].value
    assert replayed.get("/api/v1/search/", {"q": "ivan"}).status_code in (401, 403)


def test_an_api_key_can_search(crm, in_acme, owner):
    from django.test import Client

    from tenant_apps.integrations.services import api_key_create

    _key, secret = api_key_create(actor=owner, name="Search", scope="read")
    client = Client(HTTP_HOST="acme.localhost", HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.get("/api/v1/search/", {"q": "ivan petrov"})
    assert response.status_code == 200
    assert response.json()["groups"][0]["hits"][0]["id"] == crm["ivan"].pk
