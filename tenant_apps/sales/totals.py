"""Document totals in Decimal. Pure functions: no database, no settings.

Rounding rules (documented in docs/adr/0011-sales-documents.md):
1. A line's amount is quantity × unit price × (1 − line discount), rounded half-up to the cent.
   It is net when the document's prices exclude tax and gross when they include it.
2. The subtotal is the sum of the line amounts.
3. A document discount is rounded once on the subtotal, then spread over the lines in
   proportion to their amounts with the largest-remainder method, so the spread parts add
   up to the discount exactly.
4. Tax is computed per tax rate on the sum of the discounted amounts of the lines carrying
   that rate and rounded once per rate (not per line). Exclusive prices: tax = base × rate.
   Inclusive prices: a line's gross holds all of its rates, so the tax of rate r on a line
   is gross × r / (1 + Σ rates of the line), summed per rate, then rounded.
5. Exclusive: net = subtotal − discount, total = net + tax.
   Inclusive: total = subtotal − discount, net = total − tax.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")


def money(value: Decimal) -> Decimal:
    """Rounded half-up to the cent."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LineInput:
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal = ZERO
    # (name, rate in percent) pairs
    taxes: tuple[tuple[str, Decimal], ...] = ()


@dataclass
class TaxLine:
    name: str
    rate: Decimal
    base: Decimal
    amount: Decimal


@dataclass
class Totals:
    line_amounts: list[Decimal]
    line_discounts: list[Decimal]
    subtotal: Decimal
    discount_total: Decimal
    net_total: Decimal
    tax_total: Decimal
    total: Decimal
    taxes: list[TaxLine] = field(default_factory=list)


def line_amount(line: LineInput) -> Decimal:
    return money(line.quantity * line.unit_price * (HUNDRED - line.discount_percent) / HUNDRED)


def _spread(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """`total` split over `weights` in cents, proportionally, adding up exactly."""
    weight_sum = sum(weights, ZERO)
    if not weights or total == ZERO or weight_sum == ZERO:
        return [ZERO] * len(weights)
    cents = int(total / CENT)
    exact = [Decimal(cents) * w / weight_sum for w in weights]
    parts = [int(e) for e in exact]  # toward zero; amounts are not negative
    left = cents - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (exact[i] - parts[i], -i), reverse=True)
    for i in order[:left]:
        parts[i] += 1
    return [Decimal(p) * CENT for p in parts]


def compute(lines: list[LineInput], *, discount_percent: Decimal = ZERO, prices_include_tax: bool = False) -> Totals:
    """The totals of a document from its lines (see the module's rounding rules)."""
    amounts = [line_amount(line) for line in lines]
    subtotal = sum(amounts, ZERO)
    discount_total = money(subtotal * discount_percent / HUNDRED)
    discounts = _spread(discount_total, amounts)
    bases = [a - d for a, d in zip(amounts, discounts, strict=True)]

    per_rate: dict[tuple[str, Decimal], list[Decimal]] = {}
    for line, base in zip(lines, bases, strict=True):
        combined = sum((rate for _name, rate in line.taxes), ZERO)
        for name, rate in line.taxes:
            key = (name, Decimal(rate))
            if prices_include_tax:
                tax_base = base * HUNDRED / (HUNDRED + combined)
            else:
                tax_base = base
            acc = per_rate.setdefault(key, [ZERO, ZERO])
            acc[0] += tax_base
            acc[1] += tax_base * Decimal(rate) / HUNDRED

    taxes = [
        TaxLine(name=name, rate=rate, base=money(acc[0]), amount=money(acc[1]))
        for (name, rate), acc in sorted(per_rate.items(), key=lambda kv: (-kv[0][1], kv[0][0]))
    ]
    tax_total = sum((t.amount for t in taxes), ZERO)
    if prices_include_tax:
        total = subtotal - discount_total
        net_total = total - tax_total
    else:
        net_total = subtotal - discount_total
        total = net_total + tax_total
    return Totals(
        line_amounts=amounts,
        line_discounts=discounts,
        subtotal=subtotal,
        discount_total=discount_total,
        net_total=net_total,
        tax_total=tax_total,
        total=total,
        taxes=taxes,
    )
