"""/api/v1/products/ and /api/v1/tax-rates/: the catalogue through the API."""

from decimal import Decimal

import pytest

from tenant_apps.sales.models import Product, TaxRate
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/products/"
WIDGET = {"sku": "W-1", "name": "Widget", "unit": "pcs", "category": "Hardware",
          "prices": [{"currency": "EUR", "unit_price": "10.00"},
                     {"currency": "EUR", "min_quantity": "10", "unit_price": "8.50"}]}


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def _patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def test_a_manager_creates_reads_and_changes_a_product(api, vat):
    # when
    created = _post(api, URL, {**WIDGET, "tax_rates": [vat.pk]})
    # then
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["sku"] == "W-1" and body["tax_rates"] == [vat.pk] and body["is_active"] is True
    assert body["prices"] == [{"currency": "EUR", "min_quantity": "1.000", "unit_price": "10.0000"},
                              {"currency": "EUR", "min_quantity": "10.000", "unit_price": "8.5000"}]
    pk = body["id"]
    assert api.get(f"{URL}{pk}/").json() == body
    changed = _patch(api, f"{URL}{pk}/", {"name": "Widget Pro", "prices": [{"currency": "BGN", "unit_price": "19"}]})
    assert changed.status_code == 200
    assert changed.json()["name"] == "Widget Pro" and changed.json()["tax_rates"] == [vat.pk]
    assert [p["currency"] for p in changed.json()["prices"]] == ["BGN"]


def test_a_bundle_with_components(api):
    widget = _post(api, URL, WIDGET).json()
    kit = _post(api, URL, {"sku": "KIT", "name": "Kit", "is_bundle": True,
                           "bundle_items": [{"component": widget["id"], "quantity": "2"}]})
    assert kit.status_code == 201, kit.content
    assert kit.json()["bundle_items"] == [{"component": widget["id"], "quantity": "2.000"}]
    nested = _post(api, URL, {"sku": "KIT2", "name": "Kit 2", "is_bundle": True,
                              "bundle_items": [{"component": kit.json()["id"]}]})
    assert nested.status_code == 400 and error_of(nested)["code"] == "bundle_invalid"
    assert error_of(nested)["fields"] == {"bundle_items": [error_of(nested)["message"]]}
    found = api.get(f"{URL}search/", {"q": "kit", "currency": "EUR"}).json()["results"]
    assert found == [{"id": kit.json()["id"], "sku": "KIT", "name": "Kit", "unit": "", "unit_price": "20.0000",
                      "tax_rate_ids": [], "billing": "one_off"}]


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({**WIDGET, "sku": "w-1"}, "sku_taken", "sku"),
        ({"sku": "X", "name": "No price"}, "price_required", "prices"),
        ({"sku": "X", "name": "X", "prices": [{"currency": "EU", "unit_price": "1"}]}, "price_invalid", "prices"),
        ({"sku": "X", "name": "X", "prices": [{"currency": "EUR", "unit_price": "1"}], "tax_rates": [99999]},
         "tax_invalid", "tax_rates"),
        ({"sku": "X", "name": "X", "prices": [{"currency": "EUR", "unit_price": "-1"}]}, "price_invalid", "prices"),
    ],
)
def test_bad_products_are_refused_with_the_code_and_nothing_is_written(api, body, code, field):
    _post(api, URL, WIDGET)
    response = _post(api, URL, body)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == code and field in error["fields"]
    assert Product.objects.count() == 1


def test_wrong_json_types_are_validation_errors(api):
    response = _post(api, URL, {"sku": "X", "name": "X", "prices": "ten"})
    assert response.status_code == 400 and error_of(response)["code"] == "validation_error"


def test_archive_instead_of_delete(api):
    pk = _post(api, URL, WIDGET).json()["id"]
    assert api.delete(f"{URL}{pk}/").status_code == 405
    archived = api.post(f"{URL}{pk}/archive/")
    assert archived.status_code == 200 and archived.json()["is_active"] is False
    assert [p["id"] for p in api.get(URL, {"active": "true"}).json()["results"]] == []
    assert [p["id"] for p in api.get(URL, {"active": "false"}).json()["results"]] == [pk]
    assert api.get(f"{URL}search/", {"q": "widget"}).json()["results"] == []


def test_list_filters(api):
    _post(api, URL, WIDGET)
    _post(api, URL, {"sku": "S-1", "name": "Support plan", "billing": "monthly", "category": "Services",
                     "prices": [{"currency": "EUR", "unit_price": "99"}]})
    names = lambda **q: [p["name"] for p in api.get(URL, q).json()["results"]]  # noqa: E731
    assert names() == ["Support plan", "Widget"]
    assert names(billing="monthly") == ["Support plan"]
    assert names(category="hardware") == ["Widget"]
    assert names(search="s-1") == ["Support plan"]
    assert names(is_bundle="true") == []
    assert api.get(URL, {"billing": "weekly"}).status_code == 400


def test_the_list_costs_the_same_queries_for_any_page_size(api, owner, vat, django_assert_max_num_queries):
    from tenant_apps.sales.services.products import product_create

    parts = [product_create(actor=owner, data={"sku": f"P-{i}", "name": f"Part {i}", "tax_rates": [vat]},
                            prices=[{"currency": "EUR", "unit_price": str(i + 1)}]) for i in range(12)]
    product_create(actor=owner, data={"sku": "KIT", "name": "Kit", "is_bundle": True}, prices=[],
                   bundle_items=[{"component": p} for p in parts[:3]])
    api.get(URL, {"size": 2})  # warm the key's caches
    with django_assert_max_num_queries(14) as small:
        assert len(api.get(URL, {"size": 2}).json()["results"]) == 2
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(api.get(URL, {"size": 13}).json()["results"]) == 13


@pytest.mark.parametrize("persona", ["sales_rep", "read_only"])
def test_only_managers_write_the_catalogue(api_for, request, persona, owner):
    from tenant_apps.sales.services.products import product_create

    product = product_create(actor=owner, data={"sku": "W", "name": "W"}, prices=[{"currency": "EUR", "unit_price": "1"}])
    client = api_for(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 200  # everyone reads the catalogue
    for response in (_post(client, URL, WIDGET), _patch(client, f"{URL}{product.pk}/", {"name": "X"}),
                     client.post(f"{URL}{product.pk}/archive/")):
        assert response.status_code == 403
        assert error_of(response)["code"] == "permission_denied"
    product.refresh_from_db()
    assert product.name == "W" and product.is_active


def test_a_read_key_cannot_write(api_for, owner):
    client = api_for(owner, "read")
    response = _post(client, URL, WIDGET)
    assert response.status_code == 403 and error_of(response)["code"] == "read_only_key"
    assert Product.objects.count() == 0


# --- tax rates ------------------------------------------------------------------------------


def test_tax_rates_crud_and_archive_when_in_use(api, owner):
    from tenant_apps.sales.services.products import product_create

    created = _post(api, "/api/v1/tax-rates/", {"name": "VAT", "rate": "20", "is_default": True})
    assert created.status_code == 201, created.content
    assert created.json()["rate"] == "20.00"
    pk = created.json()["id"]
    assert _post(api, "/api/v1/tax-rates/", {"name": "vat", "rate": "9"}).json()["error"]["code"] == "tax_name_taken"
    bad = _post(api, "/api/v1/tax-rates/", {"name": "Odd", "rate": "101"})
    assert bad.status_code == 400
    assert _patch(api, f"/api/v1/tax-rates/{pk}/", {"rate": "19.5"}).json()["rate"] == "19.50"
    product_create(actor=owner, data={"sku": "W", "name": "W", "tax_rates": [pk]},
                   prices=[{"currency": "EUR", "unit_price": "1"}])
    # in use: archived, not deleted
    assert api.delete(f"/api/v1/tax-rates/{pk}/").status_code == 204
    assert api.get(f"/api/v1/tax-rates/{pk}/").json()["is_active"] is False
    assert [t["id"] for t in api.get("/api/v1/tax-rates/", {"is_active": "true"}).json()["results"]] == []
    # unused: deleted
    spare = _post(api, "/api/v1/tax-rates/", {"name": "Zero", "rate": "0"}).json()["id"]
    assert api.delete(f"/api/v1/tax-rates/{spare}/").status_code == 204
    assert not TaxRate.objects.filter(pk=spare).exists()
    assert api.get(f"/api/v1/tax-rates/{spare}/").status_code == 404


def test_a_sales_rep_cannot_change_tax_rates(api_for, sales_rep, vat):
    client = api_for(sales_rep)
    assert client.get("/api/v1/tax-rates/").status_code == 200
    assert _patch(client, f"/api/v1/tax-rates/{vat.pk}/", {"rate": "0"}).status_code == 403
    assert client.delete(f"/api/v1/tax-rates/{vat.pk}/").status_code == 403
    vat.refresh_from_db()
    assert vat.rate == Decimal("20")


def test_paging_through_the_catalogue_skips_and_repeats_nothing(api, owner):
    from tenant_apps.sales.services.products import product_create

    for i in range(5):
        product_create(actor=owner, data={"sku": f"P-{i}", "name": f"part {4 - i}" if i % 2 else f"Part {4 - i}"},
                       prices=[{"currency": "EUR", "unit_price": "1"}])
    seen, url = [], URL + "?size=2"
    while url:
        page = api.get(url).json()
        seen += [p["name"].lower() for p in page["results"]]
        url = page["next"]
    assert seen == [f"part {i}" for i in range(5)]
