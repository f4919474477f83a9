"""The template editor and a bulk export in a real browser: preview in the editor's
frame (framing and the sandboxing policy must let it show), an error with its line,
saving; then an export of documents through to its download."""

import pytest

from tests.browser.conftest import acme, browser, chromium_path, db_call, live_server_url  # noqa: F401

pytestmark = pytest.mark.browser


def _cleanup():
    from tenant_apps.sales.models import Document
    from tenant_apps.templates.models import DocumentExport, Template

    Template.objects.all().delete()
    DocumentExport.objects.all().delete()
    for document in Document.objects.filter(status="draft"):
        document.lines.all().delete()
        document.delete()


def test_preview_fix_and_save_an_email_template(acme, db_call):
    page, base, errors = acme
    try:
        page.goto(f"{base}/settings/templates/")
        page.click("text=Offer (English)")
        page.fill("input[name=subject]", "Our offer {{ document.number }} for {{ customer.name }}")
        page.click("text=Preview with sample data")
        frame = page.frame(name="template-preview")
        frame.wait_for_selector("text=Our offer OFF-2026-0007 for Initech Ltd")
        assert "Dear Jane Smith" in frame.inner_text("body")

        page.fill("textarea[name=html]", "<p>Hello {{ customer.name }</p>\n<p>{{ sender_name }}</p>")
        page.click("text=Save as a new version")
        page.wait_for_selector("text=Line 1:")
        page.fill("textarea[name=html]", "<p>Hello {{ customer.name }}</p>\n<p>{{ sender_name }}</p>")
        page.click("text=Save as a new version")
        page.wait_for_selector("text=Version 1 of the template is now in use.")
        page.click("text=Versions")
        page.wait_for_selector("text=Use the built-in template again")
        assert errors == []
    finally:
        db_call(_cleanup, "acme")


def test_export_documents_and_download_the_zip(acme, db_call):
    def make_drafts():
        from decimal import Decimal

        from shared_apps.accounts.models import User
        from tenant_apps.companies.models import Company
        from tenant_apps.sales.services.documents import document_create

        owner = User.objects.get(email="owner@acme.test")
        company = Company.objects.create(name="Browser Customer", owner=owner)
        for amount in ("10", "20"):
            document_create(actor=owner, kind="invoice", data={"company": company, "currency": "EUR"},
                            lines=[{"description": "Work", "quantity": "1", "unit_price": Decimal(amount)}])

    page, base, errors = acme
    db_call(make_drafts, "acme")
    try:
        page.goto(f"{base}/sales/exports/?kind=invoice&status=draft")
        page.click("text=Start the export")
        download_link = page.locator("[data-export-download]")
        download_link.wait_for(state="visible")
        with page.expect_download() as info:
            download_link.click()
        assert info.value.suggested_filename.endswith(".zip")
        assert errors == []
    finally:
        db_call(_cleanup, "acme")
