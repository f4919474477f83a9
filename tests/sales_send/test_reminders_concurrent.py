"""Four connections run the reminder job at the same moment: one reminder row, one e-mail."""

import threading
import uuid
from datetime import timedelta

import pgtrigger
from django.db import close_old_connections, connection
from django.utils import timezone


def test_concurrent_runs_send_one_reminder(django_db_setup, django_db_blocker, _smtp_server):
    from shared_apps.accounts.models import User
    from shared_apps.outbox.models import OutboxMessage
    from tenant_apps.activities.models import Activity
    from tenant_apps.companies.models import Company
    from tenant_apps.contacts.services import contact_create
    from tenant_apps.sales.models import Document, DocumentLine, NumberSequence, PaymentReminder, SalesSettings
    from tenant_apps.sales.services.documents import document_create, invoice_issue, invoices_mark_overdue
    from tenant_apps.sales.services.reminders import payment_reminders_send
    from tenants.models import Tenant

    with django_db_blocker.unblock():
        # given a committed invoice 10 days overdue and reminders after 3 and 7 days
        tenant = Tenant.objects.get(slug="acme")
        connection.set_tenant(tenant)
        owner = User.objects.get(email="owner@acme.test")
        tag = uuid.uuid4().hex[:6]
        SalesSettings.objects.update_or_create(pk=1, defaults={"reminder_days": [3, 7],
                                                               "invoice_number_format": f"RM{tag}-{{0000}}"})
        company = Company.objects.create(name=f"Late payer {tag}", owner=owner)
        contact = contact_create(actor=owner, data={"first_name": "Lee", "company": company,
                                                    "emails": [f"lee-{tag}@late.example"]})
        today = timezone.localdate()
        draft = document_create(actor=owner, kind="invoice", data={"company": company, "contact": contact},
                                lines=[{"description": "Work", "quantity": "1", "unit_price": "100"}])
        invoice = invoice_issue(document=draft, actor=owner, on=today - timedelta(days=draft.payment_terms_days + 10))
        invoices_mark_overdue(today=today)
        connection.set_schema_to_public()
        barrier = threading.Barrier(4)
        results, failures = [], []

        def worker():
            try:
                connection.set_tenant(tenant)
                barrier.wait()
                results.append(len(payment_reminders_send(today=today)))
            except Exception as exc:  # noqa: BLE001 - reported below
                failures.append(exc)
            finally:
                close_old_connections()
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(4)]
        try:
            # when four runs race
            for t in threads:
                t.start()
            for t in threads:
                t.join(120)
            # then exactly one of them sent, once
            connection.set_tenant(tenant)
            assert not failures
            assert sorted(results) == [0, 0, 0, 1]
            assert list(PaymentReminder.objects.filter(document=invoice).values_list("days_after_due", flat=True)) == [7]
            rows = OutboxMessage.objects.filter(payload__subject__icontains=invoice.number)
            assert rows.count() == 1
        finally:
            connection.set_tenant(tenant)
            OutboxMessage.objects.filter(payload__subject__icontains=invoice.number).delete()
            PaymentReminder.objects.filter(document=invoice).delete()
            Activity.objects.filter(company=company).delete()
            with pgtrigger.ignore("sales.Document:document_no_delete_after_issue", "sales.DocumentLine:documentline_locked"):
                DocumentLine.objects.filter(document=invoice).delete()
                Document.objects.filter(pk=invoice.pk).delete()
            contact.delete()
            company.delete()
            NumberSequence.objects.filter(kind="invoice").delete()
            SalesSettings.objects.filter(pk=1).delete()
            connection.set_schema_to_public()
