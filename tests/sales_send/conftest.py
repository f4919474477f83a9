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


@pytest.fixture
def overdue_invoice(owner, issued_invoice):
    """The issued invoice, its due date 10 days ago and marked overdue."""
    from datetime import timedelta

    from django.utils import timezone

    from tenant_apps.sales.models import Document

    due = timezone.localdate() - timedelta(days=10)
    Document.objects.filter(pk=issued_invoice.pk).update(due_date=due, status="overdue")
    issued_invoice.refresh_from_db()
    return issued_invoice
