"""Product services and the catalogue selectors: validation, tiers, bundles, archiving."""

from decimal import Decimal

import pytest

from tenant_apps.records.errors import RecordPermissionError
from tenant_apps.sales.errors import SalesError
from tenant_apps.sales.models import Product, TaxRate
from tenant_apps.sales.selectors import product_price_for, product_search
from tenant_apps.sales.services.products import product_archive, product_create, product_update

pytestmark = pytest.mark.django_db

TIERS = [{"currency": "EUR", "min_quantity": "1", "unit_price": "10.00"},
         {"currency": "EUR", "min_quantity": "10", "unit_price": "8.50"},
         {"currency": "EUR", "min_quantity": "100", "unit_price": "7"},
         {"currency": "bgn", "unit_price": "19.50"}]


@pytest.fixture
def widget(owner, vat):
    return product_create(actor=owner, data={"sku": "W-1", "name": "Widget", "unit": "pcs", "tax_rates": [vat]},
                          prices=TIERS)


def test_a_product_is_created_with_tiers_and_taxes(widget, vat):
    assert widget.pk and widget.is_active and widget.billing == "one_off"
    assert list(widget.tax_rates.all()) == [vat]
    assert [(p.currency, p.min_quantity, p.unit_price) for p in widget.prices.all()] == [
        ("BGN", Decimal("1"), Decimal("19.5")), ("EUR", Decimal("1"), Decimal("10")),
        ("EUR", Decimal("10"), Decimal("8.5")), ("EUR", Decimal("100"), Decimal("7"))]


@pytest.mark.parametrize(("quantity", "price"), [("1", "10"), ("9.999", "10"), ("10", "8.5"), ("99", "8.5"),
                                                 ("100", "7"), ("5000", "7")])
def test_the_tier_is_the_highest_from_quantity_not_above(widget, quantity, price):
    assert product_price_for(product=widget, currency="EUR", quantity=quantity) == Decimal(price)


def test_no_price_in_a_currency_or_below_the_first_tier(owner, widget):
    assert product_price_for(product=widget, currency="USD", quantity=1) is None
    bulk = product_create(actor=owner, data={"sku": "B-1", "name": "Bulk"},
                          prices=[{"currency": "EUR", "min_quantity": "50", "unit_price": "1"}])
    assert product_price_for(product=bulk, currency="EUR", quantity="49") is None
    assert product_price_for(product=bulk, currency="EUR", quantity="0") is None
    assert product_price_for(product=bulk, currency="EUR", quantity="x") is None


@pytest.mark.parametrize(
    ("data", "prices", "code", "field"),
    [
        ({"sku": "w-1", "name": "Dup"}, TIERS, "sku_taken", "sku"),
        ({"sku": "  ", "name": "No SKU"}, TIERS, "sku_required", "sku"),
        ({"sku": "X" * 65, "name": "Long"}, TIERS, "sku_required", "sku"),
        ({"sku": "N-1", "name": ""}, TIERS, "product_name_required", "name"),
        ({"sku": "N-2", "name": "Bill", "billing": "weekly"}, TIERS, "billing_invalid", "billing"),
        ({"sku": "N-3", "name": "No price"}, [], "price_required", "prices"),
        ({"sku": "N-4", "name": "Bad"}, [{"currency": "EURO", "unit_price": "1"}], "price_invalid", "prices"),
        ({"sku": "N-5", "name": "Bad"}, [{"currency": "EUR", "unit_price": "-1"}], "price_invalid", "prices"),
        ({"sku": "N-6", "name": "Bad"}, [{"currency": "EUR", "unit_price": "1", "min_quantity": "0"}],
         "price_invalid", "prices"),
        ({"sku": "N-7", "name": "Bad"}, [{"currency": "EUR", "unit_price": "abc"}], "price_invalid", "prices"),
        ({"sku": "N-8", "name": "Bad"}, [{"currency": "EUR", "unit_price": "1"}, {"currency": "eur", "unit_price": "2",
                                                                                  "min_quantity": "1.000"}],
         "price_tier_duplicate", "prices"),
        ({"sku": "N-9", "name": "Bad", "tax_rates": [999999]}, TIERS, "tax_invalid", "tax_rates"),
    ],
)
def test_bad_input_is_refused_with_a_code_and_nothing_is_written(owner, widget, data, prices, code, field):
    before = Product.objects.count()
    with pytest.raises(SalesError) as refused:
        product_create(actor=owner, data=data, prices=prices)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert refused.value.message
    assert Product.objects.count() == before


def test_an_archived_tax_rate_cannot_be_given(owner, in_acme):
    old = TaxRate.objects.create(name="Old VAT", rate=Decimal("9"), is_active=False)
    with pytest.raises(SalesError, match="tax_invalid"):
        product_create(actor=owner, data={"sku": "T", "name": "T", "tax_rates": [old.pk]}, prices=TIERS)


def test_only_managers_change_the_catalogue(sales_rep, read_only, widget):
    for user in (sales_rep, read_only):
        with pytest.raises(RecordPermissionError):
            product_create(actor=user, data={"sku": "R", "name": "R"}, prices=TIERS)
        with pytest.raises(RecordPermissionError):
            product_update(product=widget, actor=user, data={"name": "Hacked"})
        with pytest.raises(RecordPermissionError):
            product_archive(product=widget, actor=user)


def test_update_changes_only_what_is_given(owner, admin, widget):
    product_update(product=widget, actor=admin, data={"name": "Widget Pro"})
    widget.refresh_from_db()
    assert widget.name == "Widget Pro" and widget.prices.count() == 4 and widget.tax_rates.count() == 1
    product_update(product=widget, actor=owner, data={"tax_rates": []},
                   prices=[{"currency": "EUR", "unit_price": "12"}])
    assert widget.prices.count() == 1 and widget.tax_rates.count() == 0
    with pytest.raises(SalesError, match="price_required"):
        product_update(product=widget, actor=owner, data={}, prices=[])
    assert widget.prices.count() == 1


def test_a_bundle_is_priced_by_its_components_unless_it_has_its_own_price(owner, widget):
    # given
    cable = product_create(actor=owner, data={"sku": "C-1", "name": "Cable"},
                           prices=[{"currency": "EUR", "unit_price": "2.50"},
                                   {"currency": "EUR", "min_quantity": "20", "unit_price": "2"}])
    # when
    kit = product_create(actor=owner, data={"sku": "KIT", "name": "Kit", "is_bundle": True}, prices=[],
                         bundle_items=[{"component": widget, "quantity": "1"}, {"component": cable.pk, "quantity": "2"}])
    # then: 10 + 2 × 2.50 for one kit; for ten kits the widget tier 10 and the cable tier 20 apply
    assert product_price_for(product=kit, currency="EUR", quantity=1) == Decimal("15.00")
    assert product_price_for(product=kit, currency="EUR", quantity=10) == Decimal("12.50")
    assert product_price_for(product=kit, currency="BGN", quantity=1) is None  # the cable has no BGN price
    product_update(product=kit, actor=owner, data={}, prices=[{"currency": "BGN", "unit_price": "25"}])
    assert product_price_for(product=kit, currency="BGN", quantity=1) == Decimal("25")
    assert [i.component_id for i in kit.bundle_items.all()] == [widget.pk, cable.pk]


def test_bundles_cannot_nest_or_contain_themselves(owner, widget):
    kit = product_create(actor=owner, data={"sku": "KIT", "name": "Kit", "is_bundle": True}, prices=[],
                         bundle_items=[{"component": widget, "quantity": "1"}])
    cases = [
        ({"sku": "K2", "name": "K2", "is_bundle": True}, [{"component": kit}]),  # a bundle in a bundle
        ({"sku": "K3", "name": "K3", "is_bundle": True}, [{"component": widget}, {"component": widget}]),
        ({"sku": "K4", "name": "K4"}, [{"component": widget}]),  # not a bundle
        ({"sku": "K5", "name": "K5", "is_bundle": True}, [{"component": widget, "quantity": "0"}]),
    ]
    for data, items in cases:
        with pytest.raises(SalesError, match="bundle_invalid"):
            product_create(actor=owner, data=data, prices=TIERS, bundle_items=items)
    with pytest.raises(SalesError, match="bundle_invalid"):
        product_update(product=kit, actor=owner, data={}, bundle_items=[{"component": kit}])
    with pytest.raises(SalesError, match="product_invalid"):
        product_update(product=kit, actor=owner, data={}, bundle_items=[{"component": 987654}])
    with pytest.raises(SalesError, match="bundle_in_use"):
        product_update(product=widget, actor=owner, data={"is_bundle": True})


def test_unbundling_drops_the_components(owner, widget):
    kit = product_create(actor=owner, data={"sku": "KIT", "name": "Kit", "is_bundle": True}, prices=TIERS,
                         bundle_items=[{"component": widget}])
    product_update(product=kit, actor=owner, data={"is_bundle": False})
    assert kit.bundle_items.count() == 0


def test_archiving_keeps_the_product_and_its_bundles(owner, widget):
    kit = product_create(actor=owner, data={"sku": "KIT", "name": "Kit", "is_bundle": True}, prices=[],
                         bundle_items=[{"component": widget}])
    archived = product_archive(product=widget, actor=owner)
    assert archived.is_active is False and Product.objects.filter(pk=widget.pk).exists()
    # the bundle still lists its archived part, and can be saved with it
    product_update(product=kit, actor=owner, data={"name": "Kit 2"}, bundle_items=[{"component": widget.pk}])
    # but a new bundle cannot pick an archived product
    with pytest.raises(SalesError, match="product_invalid"):
        product_create(actor=owner, data={"sku": "K9", "name": "K9", "is_bundle": True}, prices=[],
                       bundle_items=[{"component": widget}])


def test_the_history_records_who_changed_a_product(owner, widget):
    from tenant_apps.records.history_selectors import record_history

    product_update(product=widget, actor=owner, data={"name": "Renamed"}, door="api")
    update = [e for e in record_history(record=widget) if e["label"] == "update"]
    assert [(e["door"], e["user"]) for e in update] == [("api", owner)]
    assert {"field": "name", "old": "Widget", "new": "Renamed"}.items() <= update[0]["changes"][0].items()


def test_search_finds_active_products_with_their_price(owner, widget, vat, django_assert_max_num_queries):
    product_create(actor=owner, data={"sku": "G-1", "name": "Gadget"}, prices=[{"currency": "USD", "unit_price": "3"}])
    product_create(actor=owner, data={"sku": "W-OLD", "name": "Old widget", "is_active": False}, prices=TIERS)
    with django_assert_max_num_queries(6):
        found = product_search(query="wid", currency="eur")
    assert found == [{"id": widget.pk, "sku": "W-1", "name": "Widget", "unit": "pcs", "unit_price": Decimal("10"),
                      "tax_rate_ids": [vat.pk], "billing": "one_off"}]
    assert [p["sku"] for p in product_search(query="", currency="USD")] == ["G-1", "W-1"]
    assert product_search(query="g-1", currency="EUR")[0]["unit_price"] is None
