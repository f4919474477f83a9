"""Demo sales data for a small workspace: a VAT rate, a product catalogue, offers on deals
in late stages and invoices for won deals, some paid, some partly paid, some overdue.
Everything goes through the sales services, so numbers, totals and timelines are real."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from tenant_apps.deals.models import Deal, Stage
from tenant_apps.sales.models import TaxRate
from tenant_apps.sales.services.documents import (
    document_create, invoice_issue, invoices_mark_overdue, offer_decide, offer_mark_sent,
)
from tenant_apps.sales.services.payments import payment_record
from tenant_apps.sales.services.products import product_create

# (sku, name, unit, price, billing) per language; prices in the workspace currency.
CATALOGUE = {
    "en": [
        ("CONS-H", "Consulting", "h", "95.00", "one_off"),
        ("IMPL", "Implementation package", "pcs", "4800.00", "one_off"),
        ("TRAIN-D", "On-site training day", "day", "1200.00", "one_off"),
        ("LIC-M", "Licence, per user", "month", "29.00", "monthly"),
        ("LIC-Y", "Licence, per user", "year", "290.00", "yearly"),
        ("SUP-P", "Priority support", "month", "450.00", "monthly"),
        ("HW-GW", "Gateway appliance", "pcs", "1350.00", "one_off"),
    ],
    "bg": [
        ("CONS-H", "Консултантски услуги", "ч", "180.00", "one_off"),
        ("IMPL", "Пакет внедряване", "бр.", "9400.00", "one_off"),
        ("TRAIN-D", "Обучение на място", "ден", "2300.00", "one_off"),
        ("LIC-M", "Лиценз на потребител", "месец", "55.00", "monthly"),
        ("LIC-Y", "Лиценз на потребител", "година", "550.00", "yearly"),
        ("SUP-P", "Приоритетна поддръжка", "месец", "880.00", "monthly"),
        ("HW-GW", "Мрежово устройство", "бр.", "2600.00", "one_off"),
    ],
}
VAT_NAME = {"en": "VAT", "bg": "ДДС"}


def demo_sales_seed(*, rng: random.Random, actor, language: str, currency: str, clock) -> dict[str, int]:
    """Products, offers and invoices in the current workspace; `clock(when)` runs services
    as if it were `when` (the small seeder's context manager)."""
    made = {"products": 0, "offers": 0, "invoices": 0, "payments": 0}
    vat = TaxRate.objects.create(name=VAT_NAME[language], rate=Decimal("20"), is_default=True)
    products = []
    for sku, name, unit, price, billing in CATALOGUE[language]:
        prices = [{"currency": currency, "min_quantity": "1", "unit_price": price}]
        if unit in ("h", "ч", "month", "месец"):  # a volume tier
            prices.append({"currency": currency, "min_quantity": "20",
                           "unit_price": str((Decimal(price) * Decimal("0.9")).quantize(Decimal("0.01")))})
        products.append(product_create(actor=actor, data={"sku": sku, "name": name, "unit": unit, "billing": billing,
                                                          "tax_rates": [vat]}, prices=prices))
    made["products"] = len(products)
    now = timezone.now()

    def lines_for(deal):
        chosen = rng.sample(products, k=rng.choice((1, 2, 3)))
        return [{"product": p, "description": p.name, "quantity": str(rng.choice((1, 2, 5, 10, 25))),
                 "unit_price": str(p.prices.order_by("min_quantity").first().unit_price), "tax_rates": [vat]}
                for p in chosen]

    def owner_of(deal):
        return deal.owner or actor

    late_open = list(Deal.objects.filter(stage__kind=Stage.Kind.OPEN, stage__probability__gte=40).select_related(
        "company", "owner").order_by("pk")[:12])
    # Documents are numbered in date order, so they are sent (and issued below) oldest first.
    offer_times = sorted(now - timedelta(days=rng.randint(2, 25), minutes=rng.randint(0, 600)) for _ in late_open)
    for i, (deal, when) in enumerate(zip(late_open, offer_times, strict=True)):
        with clock(when):
            offer = document_create(actor=owner_of(deal), kind="offer", data={"deal": deal, "company": deal.company,
                                                                              "language": language,
                                                                              "currency": currency},
                                    lines=lines_for(deal))
            if i % 4 != 3:  # most are sent, one in four still a draft
                offer = offer_mark_sent(document=offer, actor=owner_of(deal))
            if i % 4 == 0:
                offer_decide(document=offer, accept=True, actor=owner_of(deal))
        made["offers"] += 1

    won = list(Deal.objects.filter(stage__kind=Stage.Kind.WON).select_related("company", "owner").order_by("pk")[:16])
    issue_dates = sorted((now - timedelta(days=rng.randint(3, 80))).date() for _ in won)
    for i, (deal, issued_on) in enumerate(zip(won, issue_dates, strict=True)):
        with clock(now - timedelta(days=(now.date() - issued_on).days)):
            invoice = document_create(actor=owner_of(deal), kind="invoice",
                                      data={"deal": deal, "company": deal.company, "language": language,
                                            "currency": currency}, lines=lines_for(deal))
            invoice = invoice_issue(document=invoice, actor=owner_of(deal), on=issued_on)
        made["invoices"] += 1
        paid_share = (Decimal("1"), Decimal("1"), Decimal("0.5"), Decimal("0"))[i % 4]
        if paid_share:
            paid_on = min(issued_on + timedelta(days=rng.randint(3, 20)), now.date())
            with clock(now - timedelta(days=(now.date() - paid_on).days)):
                payment_record(invoice=invoice, actor=owner_of(deal), amount=(invoice.total * paid_share).quantize(Decimal("0.01")),
                               paid_on=paid_on, method="bank_transfer", reference=invoice.number)
            made["payments"] += 1
    invoices_mark_overdue()
    return made
