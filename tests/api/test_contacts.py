"""/api/v1/contacts/: CRUD through the services, the list engine's filters, paging,
visibility, and the error shape of a service's validation."""

import pytest

from tenant_apps.contacts.models import Contact
from tenant_apps.records.models import CustomField
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/contacts/"


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def _patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def test_create_read_change_delete(api, owner, in_acme):
    # when
    response = _post(api, URL, {
        "first_name": "Ivan", "last_name": "Petrov",
        "emails": [{"email": "Ivan@Acme.example", "label": "work"}, {"email": "ivan@home.example"}],
        "phones": [{"number": "0888 123 456"}], "tags": ["vip", "Sofia"], "lifecycle_stage": "customer",
    })
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["full_name"] == "Ivan Petrov"
    assert body["email"] == "ivan@acme.example"
    assert [e["email"] for e in body["emails"]] == ["ivan@acme.example", "ivan@home.example"]
    assert body["phones"][0]["number"] == "+359888123456"
    assert sorted(body["tags"]) == ["Sofia", "vip"]
    assert body["owner"]["email"] == owner.email
    contact = Contact.objects.get(pk=body["id"])
    assert contact.activities.filter(event="created", data__door="api").exists()

    detail = f"{URL}{contact.pk}/"
    assert api.get(detail).json()["last_name"] == "Petrov"
    changed = _patch(api, detail, {"job_title": "CTO", "tags": []})
    assert changed.status_code == 200
    assert changed.json()["job_title"] == "CTO"
    assert changed.json()["tags"] == []
    assert changed.json()["first_name"] == "Ivan"  # untouched keys stay

    assert api.delete(detail).status_code == 204
    assert api.get(detail).status_code == 404
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_a_service_validation_error_keeps_the_shape_and_writes_nothing(api, in_acme):
    response = _post(api, URL, {"emails": [{"email": "not-an-address"}], "phones": [{"number": "12"}]})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert set(error["fields"]) >= {"emails", "phones"}
    assert all(isinstance(m, list) and m for m in error["fields"].values())
    assert not Contact.objects.exists()


def test_type_errors_are_caught_before_the_service(api, in_acme):
    response = _post(api, URL, {"first_name": ["x"], "owner": "someone", "emails": "x@y.example"})
    error = error_of(response)
    assert response.status_code == 400
    assert error["code"] == "validation_error"
    assert {"first_name", "owner", "emails"} <= set(error["fields"])


def test_bad_json_is_a_parse_error(api, in_acme):
    response = api.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_messages_in_bulgarian_on_request(api, in_acme):
    response = api.post(URL, {"emails": [{"email": "nope"}]}, content_type="application/json",
                        HTTP_ACCEPT_LANGUAGE="bg")
    error = error_of(response)
    assert error["message"] == "Някои полета не са валидни."
    assert "не е адрес на електронна поща" in error["fields"]["emails"][0] or "nope" in error["fields"]["emails"][0]
    assert response["Content-Language"] == "bg"


def test_the_members_language_without_accept_language(api_for, sales_rep, in_acme):
    type(sales_rep).objects.filter(pk=sales_rep.pk).update(language="bg")
    response = api_for(sales_rep).get("/api/v1/contacts/999999/")
    assert response.status_code == 404
    assert error_of(response) == {"code": "not_found", "message": "Този запис не съществува или нямате достъп до него."}


def test_custom_values_are_validated_and_filterable(api, owner, in_acme):
    CustomField.objects.create(entity="contact", key="budget", label="Budget", field_type="number")
    CustomField.objects.create(entity="contact", key="segment", label="Segment", field_type="select",
                               options=["smb", "enterprise"])
    bad = _post(api, URL, {"first_name": "A", "custom": {"budget": "lots", "nope": 1}})
    assert bad.status_code == 400
    assert set(error_of(bad)["fields"]) == {"custom.budget", "custom.nope"}
    # a number JSON cannot hold (it would be "Infinity" in jsonb) is refused, not a 500
    huge = _post(api, URL, {"first_name": "A", "custom": {"budget": "1e999999"}})
    assert huge.status_code == 400 and "custom.budget" in error_of(huge)["fields"]
    for name, budget, segment in (("Small", 100, "smb"), ("Big", 5000, "enterprise"), ("Mid", 1000, "smb")):
        assert _post(api, URL, {"first_name": name, "custom": {"budget": budget, "segment": segment}}).status_code == 201

    names = lambda r: sorted(c["first_name"] for c in r.json()["results"])  # noqa: E731
    assert names(api.get(URL, {"cf_budget__gte": "1000"})) == ["Big", "Mid"]
    assert names(api.get(URL, {"cf_segment": "smb", "cf_budget__lte": "500"})) == ["Small"]
    ordered = api.get(URL, {"sort": "-cf_budget"}).json()["results"]
    assert [c["first_name"] for c in ordered] == ["Big", "Mid", "Small"]
    assert ordered[0]["custom"] == {"budget": 5000, "segment": "enterprise"}


def test_standard_filters_search_and_sort(api, in_acme):
    for first, city, stage in (("Ana", "Sofia", "lead"), ("Boris", "Varna", "customer"), ("Vera", "Sofia", "customer")):
        _post(api, URL, {"first_name": first, "last_name": "X", "city": city, "lifecycle_stage": stage})
    names = lambda r: [c["first_name"] for c in r.json()["results"]]  # noqa: E731
    assert sorted(names(api.get(URL, {"city": "sof"}))) == ["Ana", "Vera"]
    assert names(api.get(URL, {"lifecycle_stage": "customer", "sort": "name"})) == ["Boris", "Vera"]
    assert names(api.get(URL, {"q": "bor"})) == ["Boris"]
    assert names(api.get(URL, {"owner": "me", "sort": "-name"})) == ["Vera", "Boris", "Ana"]


def test_unknown_filters_and_bad_values_are_400(api, in_acme):
    CustomField.objects.create(entity="contact", key="score", label="Score", field_type="number")
    for params in ({"colour": "red"}, {"lifecycle_stage": "martian"}, {"created_at__gte": "yesterday"}, {"sort": "pwd"},
                   {"cf_score__gte": "NaN"}, {"cf_score": "Infinity"}, {"owner": "someone"}):
        response = api.get(URL, params)
        assert response.status_code == 400, params
        assert error_of(response)["code"] == "invalid_filter"


def test_cursor_paging_walks_every_record_once(api, owner, in_acme):
    from tenant_apps.companies.models import Company

    CustomField.objects.create(entity="contact", key="budget", label="Budget", field_type="number")
    company = Company.objects.create(name="Co", owner=owner)
    Contact.objects.bulk_create([
        Contact(first_name=f"P{i:02}", last_name="Same", owner=owner, company=company if i % 2 else None,
                custom={"budget": i % 3} if i % 4 else {})
        for i in range(7)
    ])
    for sort in ("name", "-created_at", "city", "-last_activity_at", "company", "-company", "cf_budget", "-cf_budget"):
        seen, url, params = [], URL, {"size": 3, "sort": sort}
        while url:
            response = api.get(url, params)
            assert response.status_code == 200
            body = response.json()
            assert len(body["results"]) <= 3
            seen += [c["id"] for c in body["results"]]
            url, params = body["next"], None
        assert len(seen) == 7 == len(set(seen)), sort


def test_a_tampered_cursor_is_400(api, in_acme):
    response = api.get(URL, {"cursor": "abc"})
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_cursor"


def test_page_size_is_capped(api, owner, in_acme):
    Contact.objects.bulk_create([Contact(first_name=f"P{i}", owner=owner) for i in range(205)])
    assert len(api.get(URL, {"size": 1000}).json()["results"]) == 200
    assert len(api.get(URL).json()["results"]) == 50


def test_list_query_count_does_not_grow_with_the_page(api, owner, in_acme, django_assert_max_num_queries):
    from tenant_apps.contacts.models import ContactEmail, ContactPhone
    from tenant_apps.records.tags import tags_for_names

    contacts = Contact.objects.bulk_create([Contact(first_name=f"P{i}", owner=owner) for i in range(60)])
    ContactEmail.objects.bulk_create([ContactEmail(contact=c, email=f"p{c.pk}@x.example", is_primary=True) for c in contacts])
    ContactPhone.objects.bulk_create([ContactPhone(contact=c, number=f"+35988800{c.pk:04}", is_primary=True) for c in contacts])
    tag = tags_for_names(["vip"])[0]
    for c in contacts[:30]:
        c.tags.add(tag)
    api.get(URL)  # warm the key's last use
    # key, membership, custom fields, page, tags, e-mails, phones (each query is doubled
    # by pghistory's context statement)
    with django_assert_max_num_queries(14):
        small = api.get(URL, {"size": 2})
    with django_assert_max_num_queries(14):
        big = api.get(URL, {"size": 60})
    assert len(big.json()["results"]) == 60 and len(small.json()["results"]) == 2


def test_a_restricted_sales_rep_sees_only_their_own(api_for, owner, sales_rep, restricted):
    mine = Contact.objects.create(first_name="Mine", owner=sales_rep)
    theirs = Contact.objects.create(first_name="Theirs", owner=owner)
    client = api_for(sales_rep)
    assert [c["id"] for c in client.get(URL).json()["results"]] == [mine.pk]
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert _patch(client, f"{URL}{theirs.pk}/", {"first_name": "Hacked"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.first_name == "Theirs"


def test_a_sales_rep_cannot_delete_anothers_contact(api_for, owner, sales_rep, in_acme):
    theirs = Contact.objects.create(first_name="Theirs", owner=owner)
    response = api_for(sales_rep).delete(f"{URL}{theirs.pk}/")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert Contact.objects.filter(pk=theirs.pk).exists()


def test_duplicates_and_merge(api, owner, in_acme):
    a = _post(api, URL, {"first_name": "Ivan", "emails": [{"email": "ivan@x.example"}]}).json()
    b = _post(api, URL, {"first_name": "Ivan P", "job_title": "CEO", "emails": [{"email": "IVAN@x.example"}]}).json()
    found = api.get(f"{URL}{a['id']}/duplicates/").json()["results"]
    assert [c["id"] for c in found] == [b["id"]]
    merged = _post(api, f"{URL}{a['id']}/merge/", {"duplicates": [b["id"]], "choices": {"first_name": b["id"]}})
    assert merged.status_code == 200, merged.content
    assert merged.json()["first_name"] == "Ivan P"
    assert merged.json()["job_title"] == "CEO"
    assert not Contact.objects.filter(pk=b["id"]).exists()
    nothing = _post(api, f"{URL}{a['id']}/merge/", {"duplicates": [b["id"]]})
    assert nothing.status_code == 400
    assert "duplicates" in error_of(nothing)["fields"]


def test_gdpr_export_and_erase(api, api_for, sales_rep, owner, in_acme):
    from shared_apps.audit.models import EventKind, SecurityEvent

    contact = _post(api, URL, {"first_name": "Erin", "emails": [{"email": "erin@x.example"}]}).json()
    exported = api.get(f"{URL}{contact['id']}/export/")
    assert exported.status_code == 200
    assert exported.json()["contact"]["emails"][0]["email"] == "erin@x.example"
    assert SecurityEvent.objects.filter(kind=EventKind.DATA_EXPORTED, data__contact_id=contact["id"]).exists()

    denied = api_for(sales_rep).post(f"{URL}{contact['id']}/erase/")
    assert denied.status_code == 403
    assert api.post(f"{URL}{contact['id']}/erase/").status_code == 204
    assert not Contact.objects.filter(pk=contact["id"]).exists()
    assert SecurityEvent.objects.filter(kind=EventKind.DATA_ERASED, data__contact_id=contact["id"]).exists()


def test_history_lists_changes_with_the_api_door(api, in_acme):
    contact = _post(api, URL, {"first_name": "Hana"}).json()
    _patch(api, f"{URL}{contact['id']}/", {"city": "Plovdiv"})
    history = api.get(f"{URL}{contact['id']}/history/").json()
    # (inside the test's transaction every event has the same time, so no order is asserted)
    assert {e["door"] for e in history} == {"api"}
    assert {"field": "city", "old": "", "new": "Plovdiv"} in [
        {k: c[k] for k in ("field", "old", "new")} for e in history for c in e["changes"]
    ]
    assert "insert" in {e["label"] for e in history}


def test_search_results_page_by_rank_without_gaps(api, owner, in_acme):
    # given contacts that match "ivan" with different ranks (and ties)
    for i in range(9):
        Contact.objects.create(first_name="Ivan" if i % 3 else "Ivana", last_name="Ivanov" if i % 2 else "Petrov",
                               job_title="ivan ivan" if i == 4 else "", owner=owner)
    seen, url, params = [], URL, {"q": "ivan", "size": 2}
    while url:
        body = api.get(url, params).json()
        seen += [c["id"] for c in body["results"]]
        url, params = body["next"], None
    assert len(seen) == len(set(seen)) == 9


def test_export_the_filtered_list_as_csv_and_xlsx(api, owner, in_acme):
    # given
    import io

    from openpyxl import load_workbook

    from shared_apps.audit.models import SecurityEvent

    for data in ({"first_name": "Export", "last_name": "Me", "city": "Sofia", "job_title": "=HYPERLINK(1)"},
                 {"first_name": "Other", "last_name": "Town", "city": "Plovdiv"}):
        assert api.post("/api/v1/contacts/", data, content_type="application/json").status_code == 201
    # when
    csv_response = api.get("/api/v1/contacts/export/?city=sofia&cols=name,job_title")
    xlsx_response = api.get("/api/v1/contacts/export/?city=sofia&file_format=xlsx")
    # then
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    assert "Export Me" in text and "Other Town" not in text
    assert "'=HYPERLINK(1)" in text
    assert xlsx_response.status_code == 200
    rows = list(load_workbook(io.BytesIO(xlsx_response.content)).active.values)
    assert [r for r in rows if "Export Me" in r]
    assert not [r for r in rows if "Other Town" in r]
    assert SecurityEvent.objects.filter(kind="data_exported", data__what="contact_list").count() == 2


def test_export_refuses_a_bad_format_a_bad_filter_and_a_sales_rep(api, api_for, sales_rep, in_acme):
    assert error_of(api.get("/api/v1/contacts/export/?file_format=pdf"))["code"] == "validation_error"
    assert error_of(api.get("/api/v1/contacts/export/?no_such=1"))["code"] == "invalid_filter"
    response = api_for(sales_rep).get("/api/v1/contacts/export/")
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
