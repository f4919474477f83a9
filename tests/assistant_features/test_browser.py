"""The draft page in a real browser: the draft streams into the editor piece by piece,
a suggested subject is picked, and the member logs the edited e-mail on the timeline."""

import pytest

from tests.assistant.fake_openai import Reply
from tests.browser.conftest import acme, browser, chromium_path, db_call, live_server_url  # noqa: F401

pytestmark = pytest.mark.browser

DRAFT = "Dear Mila, thank you for the call about the forty seats. I will send the offer tomorrow. Best, Olivia"


def test_a_draft_streams_into_the_editor_and_is_logged_by_the_member(acme, db_call, fake_openai):
    def make_contact():
        from tenant_apps.contacts.models import Contact
        from shared_apps.accounts.models import User

        return Contact.objects.create(first_name="Mila", last_name="Ivanova", email="mila@initech.example",
                                      owner=User.objects.get(email="owner@acme.test")).pk

    page, base, errors = acme
    pk = db_call(make_contact, "acme")
    fake_openai.script(Reply(content=DRAFT, chunk_delay=0.15))
    fake_openai.json = {"subjects": ["The offer for forty seats", "Next steps"]}

    page.goto(f"{base}/contacts/{pk}/")
    page.click("text=Draft e-mail with AI")
    page.select_option("select[name=tone]", "formal")
    page.click("text=Write a draft")
    # Part of the draft is in the editor while the rest is still being written.
    page.wait_for_function(
        "([full]) => { const v = document.querySelector('#draft-body').value; return v.length > 0 && v.length < full; }",
        arg=[len(DRAFT)],
    )
    page.wait_for_function("([full]) => document.querySelector('#draft-body').value.length === full", arg=[len(DRAFT)])
    page.wait_for_selector("text=Done. Edit the draft before you use it.")
    assert page.input_value("#draft-body") == DRAFT

    page.click("text=Suggest subject lines")
    page.click("[data-draft-suggestions] >> text=Next steps")
    assert page.input_value("#draft-subject") == "Next steps"
    page.fill("#draft-body", DRAFT + "\nP.S. See you on Friday.")
    href = page.get_attribute("[data-draft-mailto]", "href")
    assert href.startswith("mailto:mila@initech.example?subject=Next%20steps&body=Dear%20Mila")
    assert db_call(lambda: __import__("tenant_apps.activities.models", fromlist=["Activity"]).Activity.objects
                   .filter(kind="email").count(), "acme") == 0  # nothing until the member clicks

    page.click("text=Log as a sent e-mail")
    page.wait_for_selector("text=Added to the timeline.")

    def logged():
        from tenant_apps.activities.models import Activity

        # A form posts a textarea's line breaks as CRLF.
        return [(s, b.replace("\r\n", "\n"), d)
                for s, b, d in Activity.objects.filter(kind="email").values_list("subject", "body", "direction")]

    assert db_call(logged, "acme") == [("Next steps", DRAFT + "\nP.S. See you on Friday.", "out")]
    assert errors == []


def test_a_failure_part_way_says_so_in_the_page(acme, db_call, fake_openai):
    def make_contact():
        from tenant_apps.contacts.models import Contact

        return Contact.objects.create(first_name="Mila", last_name="Ivanova").pk

    page, base, errors = acme
    pk = db_call(make_contact, "acme")
    fake_openai.script(*[Reply(status=500)] * 3)
    page.goto(f"{base}/assistant/drafts/contact/{pk}/")
    page.click("text=Write a draft")
    page.wait_for_selector("text=The AI service answered with an error. Try again later.")
    assert errors == []
