"""The top bar's search box in a real browser: "/" focuses it, a Cyrillic prefix shows
suggestions, the arrow keys and Enter open a record, Escape closes."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_search_from_the_keyboard(acme, db_call):
    from shared_apps.accounts.models import User
    from tenant_apps.contacts.models import Contact

    def make():
        owner = User.objects.get(email="owner@acme.test")
        first = Contact.objects.create(first_name="Иван", last_name="Петров", owner=owner)
        second = Contact.objects.create(first_name="Ивелина", last_name="<b>Бойкова</b>", owner=owner)
        return first.pk, second.pk

    first, second = db_call(make, "acme")
    page, base, errors = acme
    page.goto(f"{base}/contacts/")
    box = page.locator("#topbar-search-q")
    panel = page.locator("#topbar-search-suggest")

    # "/" anywhere but in a field focuses the box
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(box).to_be_focused()
    page.keyboard.type("Ив")
    expect(panel).to_be_visible()
    expect(panel.locator("[role=option]")).to_have_count(3)  # two contacts and "all results"
    expect(panel.locator("mark").first).to_have_text("Ив")
    # the record's text is shown as text, never as markup
    expect(panel).to_contain_text("<b>Бойкова</b>")
    assert panel.locator("b").count() == 0

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    page.keyboard.type("а")  # "Ива": only Иван now
    expect(panel.locator("[role=option]")).to_have_count(2)
    page.keyboard.press("ArrowDown")
    expect(panel.locator("[aria-selected=true]")).to_contain_text("Иван Петров")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/contacts/{first}/$"))
    assert "Иван Петров" in page.inner_text("h1")

    # Enter without choosing a hit opens the search page
    page.keyboard.press("/")
    page.keyboard.type("Ивел")
    expect(panel.locator("[role=option]")).to_have_count(2)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/search/\?q=.*"))
    expect(page.locator('[data-search-type="contacts"]')).to_contain_text("Ивелина")
    assert errors == []
