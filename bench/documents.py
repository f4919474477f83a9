"""Sales document PDFs: a one-page invoice, a 20-page invoice, and 1,000 invoices as a
zip built by the Celery worker, each beside WeasyPrint rendering a minimal page in the
same run (the baseline: what any PDF costs on this machine).

Budgets (issue 4): one-page invoice PDF p50 <= 300 ms; 20-page invoice <= 3 s;
1,000 invoices as a zip <= 3 min on 2 cores with the worker.
Run: python bench/documents.py (DATABASE_URL/REDIS_URL as for make bench). The zip part
starts its own worker (celery -A config worker --concurrency 2) unless BENCH_NO_WORKER=1,
in which case it runs the export in this process.
"""

import io
import os
import secrets
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from _harness import fmt_seconds, median, setup, table, timed

ONE_PAGE_RUNS = int(os.environ.get("BENCH_PDF_RUNS", "30"))
ZIP_COUNT = int(os.environ.get("BENCH_ZIP_INVOICES", "1000"))
LONG_LINES = 560  # 20–21 A4 pages in the classic layout


def make_invoices(count, company, owner, vat, *, lines_each=4, prefix="B"):
    """Issued invoices written in bulk (the services' totals, frozen snapshots), fast to set up."""
    from tenant_apps.sales.models import Document, DocumentLine
    from tenant_apps.sales.services.documents import _apply_totals, _snapshot_customer, _snapshot_seller

    template = Document(company=company, currency="EUR", language="en")
    customer, seller = _snapshot_customer(template), _snapshot_seller()
    documents, all_lines = [], []
    for i in range(count):
        document = Document(kind="invoice", status="issued", number=f"{prefix}-{i:05d}", currency="EUR",
                            language="bg" if i % 2 else "en", company=company, owner=owner,
                            issue_date=date(2026, 3, 1), due_date=date(2026, 3, 15), customer=customer, seller=seller,
                            notes="Thank you for your business.")
        lines = [DocumentLine(position=j, description=f"Service item {j + 1} — консултации", quantity=Decimal(1 + j % 5),
                              unit="h", unit_price=Decimal("95.50") + j, taxes=[{"name": "VAT", "rate": "20"}],
                              is_locked=True)
                 for j in range(lines_each)]
        _apply_totals(document, lines)
        documents.append(document)
        all_lines.append(lines)
    Document.objects.bulk_create(documents, batch_size=500)
    rows = []
    for document, lines in zip(documents, all_lines, strict=True):
        for line in lines:
            line.document = document
            rows.append(line)
    DocumentLine.objects.bulk_create(rows, batch_size=2000)
    return documents


def start_worker():
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    root = Path(__file__).resolve().parents[1]
    # Messages left in the bench broker by an interrupted run would go to deleted schemas.
    subprocess.run([sys.executable, "-m", "celery", "-A", "config", "purge", "-f"], cwd=root, env=env,
                   stdout=subprocess.DEVNULL, check=False)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency", "2", "--pool", "prefork",
         "--loglevel", "warning", "--without-gossip", "--without-mingle"],
        cwd=Path(__file__).resolve().parents[1], env=env, start_new_session=True,
    )
    return worker


def main() -> int:
    setup()
    from django.db import connection
    from weasyprint import HTML

    from shared_apps.accounts.models import User
    from tenant_apps.companies.models import Company
    from tenant_apps.sales.models import Document, TaxRate
    from tenant_apps.sales.pdf import document_pdf
    from tenant_apps.templates.exports import document_export_run, document_export_start
    from tenant_apps.templates.models import DocumentExport
    from tenants.models import Tenant
    from tenants.services import tenant_delete, tenant_provision

    run = secrets.token_hex(3)
    owner = User.objects.create_user(f"bench-docs-{run}@tessera.test", None)
    tenant = tenant_provision(slug=f"bench-docs-{run}", name="Bench documents", owner=owner, method="clone")
    worker = None
    results = {}
    try:
        connection.set_tenant(tenant)
        company = Company.objects.create(name="Initech Ltd", tax_id="BG123456789", city="Sofia", owner=owner)
        vat = TaxRate.objects.create(name="VAT", rate=Decimal("20"), is_default=True)

        minimal = timed(lambda i: HTML(string=f"<p>Hello {i}</p>").write_pdf(), ONE_PAGE_RUNS)
        results["minimal"] = median(minimal)

        singles = make_invoices(ONE_PAGE_RUNS + 2, company, owner, vat, prefix="ONE")
        one_page = timed(lambda i: document_pdf(singles[i + 2]), ONE_PAGE_RUNS, warmup=2)
        results["one"] = median(one_page)
        cached = timed(lambda i: document_pdf(singles[i + 2]), ONE_PAGE_RUNS, warmup=0)
        results["cached"] = median(cached)

        longs = make_invoices(2, company, owner, vat, lines_each=LONG_LINES, prefix="LONG")
        started = time.perf_counter()
        long_pdf = document_pdf(Document.objects.get(pk=longs[0].pk))
        results["long"] = time.perf_counter() - started
        from pypdf import PdfReader

        results["long_pages"] = len(PdfReader(io.BytesIO(long_pdf)).pages)

        zip_customer = Company.objects.create(name="Umbrella Corp", tax_id="BG987654321", city="Plovdiv", owner=owner)
        make_invoices(ZIP_COUNT, zip_customer, owner, vat, prefix="ZIP")
        in_process = os.environ.get("BENCH_NO_WORKER") == "1"
        if not in_process:
            worker = start_worker()
            time.sleep(3)  # let the worker connect before the clock starts
        started = time.perf_counter()
        export = document_export_start(actor=owner, params={"company": str(zip_customer.pk), "status": "issued"})
        export_pk = export.pk
        if in_process:
            document_export_run(export_id=export_pk)
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            export = DocumentExport.objects.get(pk=export_pk)
            if export.finished:
                break
            time.sleep(0.2)
        results["zip"] = time.perf_counter() - started
        results["zip_count"] = export.total
        results["zip_status"] = export.status
        results["zip_size"] = export.file_size
    finally:
        if worker is not None:
            os.killpg(worker.pid, 15)
            worker.wait(timeout=30)
        connection.set_schema_to_public()
        tenant_delete(tenant=Tenant.objects.get(pk=tenant.pk), backup=False)
        owner.delete()

    base = results["minimal"]
    rows = [
        ("what", "time", "vs minimal page"),
        ("WeasyPrint, a minimal page (baseline, p50)", fmt_seconds(base), "1.0x"),
        ("one-page invoice PDF, not cached (p50)", fmt_seconds(results["one"]), f"{results['one'] / base:.1f}x"),
        ("one-page invoice PDF, from the cache (p50)", fmt_seconds(results["cached"]), f"{results['cached'] / base:.2f}x"),
        (f"{results['long_pages']}-page invoice ({LONG_LINES} lines)", fmt_seconds(results["long"]),
         f"{results['long'] / base:.1f}x"),
        (f"{results['zip_count']:,} invoices as a zip ({results['zip_status']}, {results['zip_size'] / 1e6:.1f} MB)",
         fmt_seconds(results["zip"]), f"{results['zip'] / base:.0f}x"),
    ]
    ok = table("Sales document PDFs", rows, [
        (f"one-page invoice p50 {fmt_seconds(results['one'])} (<= 300 ms)", results["one"] <= 0.3),
        (f"{results['long_pages']}-page invoice {fmt_seconds(results['long'])} (<= 3 s)",
         results["long"] <= 3 and results["long_pages"] >= 20),
        (f"{results['zip_count']:,} invoices as a zip {fmt_seconds(results['zip'])} (<= 3 min)",
         results["zip"] <= 180 and results["zip_status"] == "done" and results["zip_count"] == ZIP_COUNT),
    ])
    print("  Load average (1, 5, 15 min): %.2f %.2f %.2f" % os.getloadavg())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
