"""/api/v1/companies/ and /api/v1/deals/ (with move, won, lost, reopen) and /api/v1/pipelines/."""

import pytest

from tenant_apps.companies.models import Company
from tenant_apps.deals.models import Deal, Pipeline, Stage
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db


def _post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_company_crud_and_filters(api, in_acme):
    created = _post(api, "/api/v1/companies/", {"name": "Acme Bolts", "website": "acmebolts.example",
                                                "industry": "manufacturing", "phone": "02 123 4567"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["domain"] == "acmebolts.example"
    assert body["phone"].startswith("+359")
    _post(api, "/api/v1/companies/", {"name": "Other", "industry": "retail"})
    listed = api.get("/api/v1/companies/", {"industry": "manufacturing"}).json()["results"]
    assert [c["name"] for c in listed] == ["Acme Bolts"]
    missing_name = api.patch(f"/api/v1/companies/{body['id']}/", {"name": " "}, content_type="application/json")
    assert missing_name.status_code == 400
    assert "name" in error_of(missing_name)["fields"]
    assert api.delete(f"/api/v1/companies/{body['id']}/").status_code == 204
    assert not Company.objects.filter(pk=body["id"]).exists()


def test_company_duplicates_and_merge(api, api_for, read_only, owner, in_acme):
    from tenant_apps.contacts.models import Contact

    a = _post(api, "/api/v1/companies/", {"name": "Acme", "website": "https://acme.example"}).json()
    b = _post(api, "/api/v1/companies/", {"name": "ACME Ltd", "website": "acme.example/about", "city": "Sofia"}).json()
    person = Contact.objects.create(first_name="P", owner=owner, company_id=b["id"])
    found = api.get(f"/api/v1/companies/{a['id']}/duplicates/").json()["results"]
    assert [c["id"] for c in found] == [b["id"]]
    merged = _post(api, f"/api/v1/companies/{a['id']}/merge/", {"duplicates": [b["id"]]})
    assert merged.status_code == 200 and merged.json()["city"] == "Sofia"
    person.refresh_from_db()
    assert person.company_id == a["id"] and not Company.objects.filter(pk=b["id"]).exists()
    unknown = _post(api, f"/api/v1/companies/{a['id']}/merge/", {"duplicates": [10**9]})
    assert unknown.status_code == 400 and "duplicates" in error_of(unknown)["fields"]


def test_company_list_queries_are_constant(api, owner, in_acme, django_assert_max_num_queries):
    Company.objects.bulk_create([Company(name=f"C{i}", owner=owner) for i in range(40)])
    api.get("/api/v1/companies/")
    with django_assert_max_num_queries(10):
        assert len(api.get("/api/v1/companies/", {"size": 40}).json()["results"]) == 40


def _stages():
    pipeline = Pipeline.objects.get(is_default=True)
    stages = list(pipeline.stages.order_by("position"))
    return pipeline, [s for s in stages if s.kind == "open"], next(s for s in stages if s.kind == "lost")


def test_deal_lifecycle(api, in_acme):
    pipeline, open_stages, _lost = _stages()
    company = _post(api, "/api/v1/companies/", {"name": "Buyer"}).json()
    contact = _post(api, "/api/v1/contacts/", {"first_name": "Dana"}).json()
    created = _post(api, "/api/v1/deals/", {"title": "Big one", "amount": "1200.50", "currency": "bgn",
                                            "company": company["id"], "contacts": [contact["id"]]})
    assert created.status_code == 201, created.content
    deal = created.json()
    assert deal["stage"]["id"] == open_stages[0].pk
    assert deal["amount"] == "1200.50" and deal["currency"] == "BGN"
    assert deal["contacts"] == [contact["id"]]
    url = f"/api/v1/deals/{deal['id']}/"

    moved = _post(api, url + "move/", {"stage": open_stages[1].pk})
    assert moved.status_code == 200 and moved.json()["stage"]["id"] == open_stages[1].pk
    no_reason = _post(api, url + "lost/", {"reason": ""})
    assert no_reason.status_code == 400
    assert error_of(no_reason)["fields"] == {"lost_reason": [no_reason.json()["error"]["fields"]["lost_reason"][0]]}
    lost = _post(api, url + "lost/", {"reason": "Too expensive"})
    assert lost.json()["status"] == "lost" and lost.json()["lost_reason"] == "Too expensive"
    reopened = _post(api, url + "reopen/")
    assert reopened.json()["status"] == "open" and reopened.json()["stage"]["id"] == open_stages[1].pk
    already_open = _post(api, url + "reopen/")
    assert already_open.status_code == 400
    won = _post(api, url + "won/")
    assert won.json()["status"] == "won"
    events = list(Deal.objects.get(pk=deal["id"]).activities.values_list("event", flat=True))
    assert {"created", "stage_changed", "lost", "reopened", "won"} <= set(events)


def test_deal_move_between_neighbours(api, owner, in_acme):
    _pipeline, open_stages, _lost = _stages()
    ids = [_post(api, "/api/v1/deals/", {"title": f"D{i}"}).json()["id"] for i in range(3)]
    _post(api, f"/api/v1/deals/{ids[2]}/move/", {"stage": open_stages[0].pk, "before_id": ids[0], "after_id": ids[1]})
    column = list(Deal.objects.filter(stage=open_stages[0]).order_by("position").values_list("pk", flat=True))
    assert column == [ids[0], ids[2], ids[1]]
    unknown = _post(api, f"/api/v1/deals/{ids[0]}/move/", {"stage": 10**9})
    assert unknown.status_code == 400 and "stage" in error_of(unknown)["fields"]


def test_deal_filters_with_amount_range_and_status(api, in_acme):
    for title, amount in (("Small", "10"), ("Large", "900")):
        _post(api, "/api/v1/deals/", {"title": title, "amount": amount})
    titles = lambda r: [d["title"] for d in r.json()["results"]]  # noqa: E731
    assert titles(api.get("/api/v1/deals/", {"amount__gte": "100"})) == ["Large"]
    assert sorted(titles(api.get("/api/v1/deals/", {"status": "open"}))) == ["Large", "Small"]
    assert titles(api.get("/api/v1/deals/", {"status": "won"})) == []


def test_deal_list_queries_are_constant(api, owner, in_acme, django_assert_max_num_queries):
    _pipeline, open_stages, _lost = _stages()
    for i in range(30):
        _post(api, "/api/v1/deals/", {"title": f"D{i}", "contacts": []})
    api.get("/api/v1/deals/")
    # key, membership, custom fields, page, tags, contacts; each doubled by pghistory's
    # context statement
    with django_assert_max_num_queries(12):
        assert len(api.get("/api/v1/deals/", {"size": 2}).json()["results"]) == 2
    with django_assert_max_num_queries(12):
        assert len(api.get("/api/v1/deals/", {"size": 30}).json()["results"]) == 30


def test_pipelines_read_and_managers_create(api, api_for, sales_rep, in_acme, django_assert_max_num_queries):
    api.get("/api/v1/tags/")
    with django_assert_max_num_queries(8):
        listed = api.get("/api/v1/pipelines/").json()["results"]
    assert listed[0]["is_default"] is True
    assert [s["kind"] for s in listed[0]["stages"]][-2:] == ["won", "lost"]
    payload = {"name": "Renewals", "stages": [{"name": "Due", "probability": 50}]}
    assert _post(api_for(sales_rep), "/api/v1/pipelines/", payload).status_code == 403
    created = _post(api, "/api/v1/pipelines/", payload)
    assert created.status_code == 201
    assert [s["name"] for s in created.json()["stages"]] == ["Due", "Won", "Lost"]
    assert api.get(f"/api/v1/pipelines/{created.json()['id']}/").json()["name"] == "Renewals"
    assert Stage.objects.filter(pipeline_id=created.json()["id"]).count() == 3


def test_a_restricted_sales_rep_sees_only_their_deals_and_companies(api_for, owner, sales_rep, restricted):
    pipeline, open_stages, _lost = _stages()
    mine = Deal.objects.create(title="Mine", pipeline=pipeline, stage=open_stages[0], owner=sales_rep)
    theirs = Deal.objects.create(title="Theirs", pipeline=pipeline, stage=open_stages[0], owner=owner)
    Company.objects.create(name="Their company", owner=owner)
    client = api_for(sales_rep)
    assert [d["id"] for d in client.get("/api/v1/deals/").json()["results"]] == [mine.pk]
    assert client.get("/api/v1/companies/").json()["results"] == []
    for action in ("won/", "move/"):
        response = _post(client, f"/api/v1/deals/{theirs.pk}/{action}", {"stage": open_stages[1].pk})
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
    theirs.refresh_from_db()
    assert theirs.status == "open" and theirs.stage_id == open_stages[0].pk
    foreign = _post(client, "/api/v1/deals/", {"title": "Sneaky", "company": Company.objects.get().pk})
    assert foreign.status_code == 400 and "company" in error_of(foreign)["fields"]


def test_non_finite_numbers_are_bad_filters_not_errors(api, in_acme):
    for value in ("NaN", "-Infinity", "sNaN"):
        response = api.get("/api/v1/deals/", {"amount__gte": value})
        assert response.status_code == 400, value
        assert error_of(response)["code"] == "invalid_filter"


def test_managers_rename_pipelines_and_add_stages(api, api_for, sales_rep, in_acme):
    pipeline = Pipeline.objects.get(is_default=True)
    url = f"/api/v1/pipelines/{pipeline.pk}/"
    assert api_for(sales_rep).patch(url, {"name": "Mine"}, content_type="application/json").status_code == 403
    renamed = api.patch(url, {"name": "New business"}, content_type="application/json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "New business"
    blank = api.patch(url, {"name": " "}, content_type="application/json")
    assert blank.status_code == 400 and "name" in error_of(blank)["fields"]
    added = _post(api, url + "stages/", {"name": "Negotiation", "probability": 80})
    assert added.status_code == 201
    kinds = [(s["name"], s["kind"]) for s in added.json()["stages"]]
    assert kinds[-3:] == [("Negotiation", "open"), ("Won", "won"), ("Lost", "lost")]
    assert _post(api_for(sales_rep), url + "stages/", {"name": "X", "probability": 1}).status_code == 403
    assert _post(api, url + "stages/", {"name": "X", "probability": 101}).status_code == 400
