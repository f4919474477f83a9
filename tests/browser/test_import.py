"""Importing contacts in a real browser: upload a CSV, check the mapping and preview,
start, watch the progress bar move to 100 %, see the result, undo."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CSV = (
    "Име,Фамилия,Имейл,Град\r\n"
    "Мария,Иванова,maria@example.bg,София\r\n"
    "Петър,Георгиев,petar@example.bg,Пловдив\r\n"
    "Грешен,Ред,not-an-address,Варна\r\n"
).encode("utf-8")


def test_upload_map_start_and_watch_the_progress(acme, db_call, monkeypatch):
    from tenant_apps.contacts.models import Contact
    from tenant_apps.imports import services
    from tenant_apps.imports.models import ImportJob

    # Celery runs eagerly in tests: hold the queued task back so that the page shows the
    # job waiting and then follows it to the end while the test runs it.
    queued = []
    monkeypatch.setattr(services, "task_enqueue_on_commit", lambda task, *args, **kwargs: queued.append(args))
    page, base, errors = acme

    page.goto(f"{base}/contacts/")
    page.click("a:text('Import')")
    page.wait_for_url(re.compile(r".*/imports/new/\?entity=contact$"))
    page.set_input_files("input[name=file]", files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": CSV}])
    page.click("#content button[type=submit]")
    page.wait_for_url(re.compile(r".*/imports/\d+/mapping/$"))

    # The guesses from the Bulgarian header, and the preview with the bad row marked.
    assert page.locator("select[name=col_0]").input_value() == "first_name"
    assert page.locator("select[name=col_2]").input_value() == "emails"
    preview = page.inner_text("#content")
    assert "Read as UTF-8 text" in preview and "“not-an-address” is not an e-mail address." in preview
    page.check("input[name=mode][value=skip]")
    page.click("button[name=start]")
    page.wait_for_url(re.compile(r".*/imports/\d+/$"))

    bar = page.locator("[data-import-bar]")
    assert bar.get_attribute("value") == "0"
    expect(page.locator("[data-import-status-label]")).to_have_text("Waiting to start")
    assert len(queued) == 1
    db_call(lambda: services.import_job_run(job_id=queued[0][0]), "acme")

    # The page polls, sees the end, and shows the result.
    expect(page.locator("[data-import-status-label]")).to_have_text("Done", timeout=10_000)
    expect(page.locator("[data-import-bar]")).to_have_attribute("value", "100")
    expect(page.locator("[data-import-count=created]")).to_have_text("2")
    expect(page.locator("[data-import-count=failed]")).to_have_text("1")
    assert page.locator("[data-import-report]").is_visible()
    names = db_call(lambda: sorted(Contact.objects.values_list("first_name", flat=True)), "acme")
    assert names == ["Мария", "Петър"]

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=Undo this import")
    expect(page.locator(".messages")).to_contain_text("Import undone.")
    assert db_call(lambda: Contact.objects.count(), "acme") == 0
    assert db_call(lambda: ImportJob.objects.get().status, "acme") == "undone"
    assert errors == []
