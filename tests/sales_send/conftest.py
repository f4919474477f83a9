"""Fixtures for sending, reminders and payments: the sales ones (company, contact, vat,
draft_invoice, issued_invoice) plus a draft offer."""

import pytest

from tests.sales.conftest import *  # noqa: F401,F403


@pytest.fixture
def draft_offer(owner, company, contact, vat):
    from tenant_apps.sales.services.documents import document_create

    return document_create(
        actor=owner, kind="offer", data={"company": company, "contact": contact, "currency": "EUR"},
        lines=[{"description": "Implementation", "quantity": "3", "unit_price": "800", "tax_rates": [vat.pk]}],
    )


def overdue(invoice, owner, days: int):
    """`invoice` (a draft) issued long enough ago to be `days` overdue today, and marked so."""
    from datetime import timedelta

    from django.utils import timezone

    from tenant_apps.sales.services.documents import invoice_issue, invoices_mark_overdue

    today = timezone.localdate()
    invoice.due_date = None
    invoice = invoice_issue(document=invoice, actor=owner, on=today - timedelta(days=invoice.payment_terms_days + days))
    invoices_mark_overdue(today=today)
    invoice.refresh_from_db()
    assert invoice.status == "overdue" and (today - invoice.due_date).days == days
    return invoice


@pytest.fixture
def overdue_invoice(owner, draft_invoice):
    """The draft invoice issued 24 days ago: 10 days past its due date."""
    return overdue(draft_invoice, owner, 10)
