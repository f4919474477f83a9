"""Totals: lines add up, rounding follows the documented rules, and inclusive and exclusive
prices describe the same money within a cent."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tenant_apps.sales.totals import LineInput, compute, money

quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000"), places=3)
prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=2)
percents = st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=2)
rates = st.sampled_from([Decimal("0"), Decimal("9"), Decimal("20"), Decimal("5.5")])
lines_strategy = st.lists(
    st.builds(LineInput, quantity=quantities, unit_price=prices, discount_percent=percents,
              taxes=st.lists(rates, max_size=2, unique=True).map(lambda rs: tuple((f"T{r}", r) for r in rs))),
    min_size=1, max_size=12,
)


@given(lines=lines_strategy, discount=percents, inclusive=st.booleans())
@settings(max_examples=300, deadline=None)
def test_lines_add_up_to_the_totals(lines, discount, inclusive):
    # when
    totals = compute(lines, discount_percent=discount, prices_include_tax=inclusive)
    # then
    assert totals.subtotal == sum(totals.line_amounts, Decimal("0"))
    assert sum(totals.line_discounts, Decimal("0")) == totals.discount_total == money(totals.subtotal * discount / 100)
    assert totals.tax_total == sum((t.amount for t in totals.taxes), Decimal("0"))
    assert totals.total == totals.net_total + totals.tax_total
    assert totals.net_total == totals.subtotal - totals.discount_total - (totals.tax_total if inclusive else 0)
    for value in (totals.subtotal, totals.discount_total, totals.net_total, totals.tax_total, totals.total):
        assert value == value.quantize(Decimal("0.01"))
    assert all(Decimal("0") <= d <= a for d, a in zip(totals.line_discounts, totals.line_amounts, strict=True))


@given(net_prices=st.lists(prices, min_size=1, max_size=8), rate=rates, discount=percents)
@settings(max_examples=300, deadline=None)
def test_inclusive_and_exclusive_round_trip_within_a_cent_per_line(net_prices, rate, discount):
    # given: the same goods priced net, and priced gross with the tax put in
    taxes = (("VAT", rate),)
    exclusive = [LineInput(quantity=Decimal("1"), unit_price=p, taxes=taxes) for p in net_prices]
    inclusive = [LineInput(quantity=Decimal("1"), unit_price=money(p * (100 + rate) / 100), taxes=taxes)
                 for p in net_prices]
    # when
    a = compute(exclusive, discount_percent=discount)
    b = compute(inclusive, discount_percent=discount, prices_include_tax=True)
    # then: each gross price was rounded to the cent once, so totals agree within a cent a line
    tolerance = Decimal("0.01") * (len(net_prices) + 1)
    assert abs(a.total - b.total) <= tolerance
    assert abs(a.net_total - b.net_total) <= tolerance
    assert abs(a.tax_total - b.tax_total) <= tolerance


def test_rounding_is_half_up_per_line_and_once_per_tax_rate():
    # given: three lines of 0.125 net each: 0.13 a line; tax on 0.39 at 20 % = 0.078 -> 0.08
    lines = [LineInput(quantity=Decimal("1"), unit_price=Decimal("0.125"), taxes=(("VAT", Decimal("20")),))] * 3
    # when
    totals = compute(lines)
    # then
    assert totals.line_amounts == [Decimal("0.13")] * 3
    assert totals.tax_total == Decimal("0.08")
    assert totals.total == Decimal("0.47")


def test_a_line_with_two_taxes_included_splits_its_gross():
    # given: 123.00 gross holding 20 % and 3 %
    line = LineInput(quantity=Decimal("1"), unit_price=Decimal("123"),
                     taxes=(("VAT", Decimal("20")), ("Eco", Decimal("3"))))
    # when
    totals = compute([line], prices_include_tax=True)
    # then
    assert [(t.name, t.amount) for t in totals.taxes] == [("VAT", Decimal("20.00")), ("Eco", Decimal("3.00"))]
    assert totals.net_total == Decimal("100.00")
    assert totals.total == Decimal("123.00")


def test_document_discount_is_spread_exactly():
    # given: a 10 % discount on three lines of 0.10
    lines = [LineInput(quantity=Decimal("1"), unit_price=Decimal("0.10"))] * 3
    # when
    totals = compute(lines, discount_percent=Decimal("10"))
    # then: 0.03 in all, one cent a line
    assert totals.discount_total == Decimal("0.03")
    assert totals.line_discounts == [Decimal("0.01")] * 3
