"""The CRM in a real browser: create a contact (quick-create from the keyboard, then the
full form) and drag a deal to Won on the board."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_create_a_contact_from_the_keyboard_and_from_the_form(acme, db_call):
    from tenant_apps.contacts.models import Contact

    page, base, errors = acme
    page.goto(f"{base}/contacts/")
    page.keyboard.press("c")
    dialog = page.locator("#quick-dialog")
    dialog.locator("input[name=first_name]").wait_for()
    dialog.locator("input[name=first_name]").fill("Мария")
    dialog.locator("input[name=last_name]").fill("Иванова")
    dialog.locator("input[name=email]").fill("not-an-address")
    dialog.locator("button[type=submit]").click()
    dialog.locator(".errors").first.wait_for()  # the form comes back with the problem
    dialog.locator("input[name=email]").fill("maria@example.bg")
    dialog.locator("input[name=company_name]").fill("Иванови ООД")
    dialog.locator("button[type=submit]").click()
    done = dialog.locator("[data-quick-done]")
    done.wait_for()
    assert "Мария Иванова" in done.inner_text()
    # Closing the dialog shows the new contact in the list underneath.
    page.keyboard.press("Escape")
    expect(page.locator("#bulk-form")).to_contain_text("Мария Иванова")
    page.click("text=Мария Иванова")
    page.wait_for_url(re.compile(r".*/contacts/\d+/$"))
    assert "Иванови ООД" in page.inner_text("#content")

    page.goto(f"{base}/contacts/new/")
    page.fill("input[name=first_name]", "Petar")
    page.fill("input[name=last_name]", "Georgiev")
    page.fill("input[name=phone]", "0888 123 456")
    page.click("#content button[type=submit]")
    page.wait_for_url(re.compile(r".*/contacts/\d+/$"))
    assert "Petar Georgiev" in page.inner_text("h1")

    page.goto(f"{base}/contacts/")
    listed = page.inner_text("#content")
    assert "Мария Иванова" in listed and "Petar Georgiev" in listed
    phones = db_call(lambda: sorted(Contact.objects.values_list("phone", flat=True)), "acme")
    assert "+359888123456" in phones
    assert errors == []


def test_drag_a_deal_to_won(acme, db_call):
    from shared_apps.accounts.models import User
    from tenant_apps.deals.models import Deal
    from tenant_apps.deals.services import deal_create

    page, base, errors = acme

    def make():
        owner = User.objects.get(email="owner@acme.test")
        deal_create(actor=owner, data={"title": "Hosting", "amount": "300"})
        deal = deal_create(actor=owner, data={"title": "Website redesign", "amount": "1200"})
        # enough cards in the second column to need "Show more"
        second = deal.pipeline.stages.filter(kind="open").order_by("position")[1]
        Deal.objects.bulk_create(
            Deal(title=f"Filler {i}", pipeline=deal.pipeline, stage=second, position=i, owner=owner) for i in range(60)
        )
        return deal.pk

    deal_id = db_call(make, "acme")
    page.goto(f"{base}/deals/board/")
    card = page.locator(f'.deal-card[data-id="{deal_id}"]')
    card.wait_for()
    with page.expect_response(re.compile(rf".*/deals/{deal_id}/move/$")) as answer:
        card.locator(".deal-title").drag_to(page.locator(".drop-won"))
    assert answer.value.status == 200
    card.wait_for(state="detached")
    status = db_call(lambda: Deal.objects.get(pk=deal_id).status, "acme")
    assert status == "won"
    first_head = page.locator("[data-column-head]").first.inner_text()
    assert "300" in first_head and "1,500" not in first_head
    page.reload()
    assert page.locator(f'.deal-card[data-id="{deal_id}"]').count() == 0
    second = page.locator(".board-column").nth(1)
    assert second.locator(".deal-card").count() == 50
    second.locator("[data-load-more]").click()
    expect(second.locator(".deal-card")).to_have_count(60)
    assert second.locator("[data-load-more]").count() == 0
    assert errors == []
