"""Template generation: saved as a new version only if it renders with sample data."""

import pytest
from django.urls import reverse

from tenant_apps.templates.models import TemplateVersion
from tenant_apps.templates.selectors import template_content
from tests.assistant.fake_openai import Reply

GOOD_EMAIL = {
    "subject": "Reminder: invoice {{ document.number }}",
    "html": "<p>Dear {{ customer.contact_name or customer.name }},</p><p>{{ document.balance }} is still open "
            "({{ days_overdue }} days).</p><p>{{ sender_name }}</p>",
    "text": "",
}
BROKEN_EMAIL = dict(GOOD_EMAIL, html="<p>Dear {{ customer.nickname }}</p>")


def _url(name, *args):
    return reverse(name, urlconf="config.urls_app", args=args)


@pytest.fixture
def admin_client(client_for, admin):
    return client_for(admin)


def test_the_editor_has_the_button(fake_openai, admin_client):
    page = admin_client.get(_url("template_edit", "email-reminder-en")).content.decode()
    assert _url("assistant_template_generate", "email-reminder-en") in page


def test_without_a_model_the_button_says_so(no_ai, admin_client):
    page = admin_client.get(_url("template_edit", "email-reminder-en")).content.decode()
    assert "AI is not configured" in page
    page = admin_client.get(_url("assistant_template_generate", "email-reminder-en")).content.decode()
    assert "data-ai-unavailable" in page
    response = admin_client.post(_url("assistant_template_generate", "email-reminder-en"), {"prompt": "A reminder"})
    assert response.status_code == 400
    assert "not configured" in response.content.decode()
    assert not TemplateVersion.objects.exists()


def test_a_template_that_renders_is_saved_as_a_new_version(fake_openai, admin_client):
    fake_openai.json = GOOD_EMAIL
    response = admin_client.post(_url("assistant_template_generate", "email-reminder-en"),
                                 {"prompt": "A short, friendly reminder"})
    assert response.status_code == 302
    assert response["Location"] == _url("template_edit", "email-reminder-en")
    active = template_content(kind="email", name="reminder", language="en")
    assert active.number == 1 and active.html == GOOD_EMAIL["html"] and active.subject == GOOD_EMAIL["subject"]
    sent = fake_openai.sent_text()
    # The prompt lists our variables and carries the member's description.
    assert "days_overdue" in sent and "customer.contact_name" in sent and "A short, friendly reminder" in sent
    assert "English" in sent


def test_a_template_that_does_not_render_shows_the_sandbox_error_and_saves_nothing(fake_openai, admin_client):
    fake_openai.json = BROKEN_EMAIL
    response = admin_client.post(_url("assistant_template_generate", "email-reminder-en"), {"prompt": "A reminder"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Unknown variable" in page and "nickname" in page
    assert "Nothing was saved." in page
    assert "customer.nickname" in page  # what was generated, to look at
    assert not TemplateVersion.objects.exists()


def test_an_answer_of_the_wrong_shape_saves_nothing(fake_openai, admin_client):
    fake_openai.json = {"body": "<p>hello</p>"}
    response = admin_client.post(_url("assistant_template_generate", "email-reminder-en"), {"prompt": "A reminder"})
    assert response.status_code == 400
    assert "wrong format" in response.content.decode()
    assert not TemplateVersion.objects.exists()


def test_a_500_from_the_model_saves_nothing(fake_openai, admin_client):
    fake_openai.script(*[Reply(status=500)] * 3)
    response = admin_client.post(_url("assistant_template_generate", "email-reminder-en"), {"prompt": "A reminder"})
    assert response.status_code == 400
    assert "error" in response.content.decode()
    assert not TemplateVersion.objects.exists()


def test_a_document_layout_is_checked_with_every_sample(fake_openai, admin_client):
    fake_openai.json = {"html": "<h1>{{ document.title }} {{ document.number }}</h1>"
                                "{% for line in lines %}<p>{{ line.description }}: {{ line.amount }}</p>{% endfor %}"
                                "<p>{{ labels.total }} {{ document.total }}</p>",
                        "css": "h1 { color: {{ branding.primary_colour }}; }"}
    response = admin_client.post(_url("assistant_template_generate", "document-modern"), {"prompt": "Minimal"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert template_content(kind="document", name="modern").number == 1


def test_an_empty_prompt_is_refused(fake_openai, admin_client):
    response = admin_client.post(_url("assistant_template_generate", "email-reminder-en"), {"prompt": "  "})
    assert response.status_code == 400
    assert fake_openai.requests == []


def test_sales_reps_cannot_generate(fake_openai, client_for, sales_rep):
    client = client_for(sales_rep)
    assert client.post(_url("assistant_template_generate", "email-reminder-en"), {"prompt": "x"}).status_code == 403
    api = client.post("/api/v1/assistant/templates/email-reminder-en/generate/", {"prompt": "x"},
                      content_type="application/json")
    assert api.status_code == 403
    assert fake_openai.requests == []


class TestApi:
    def test_a_template_that_renders_is_201(self, fake_openai, admin_client):
        fake_openai.json = GOOD_EMAIL
        response = admin_client.post("/api/v1/assistant/templates/email-reminder-en/generate/",
                                     {"prompt": "A reminder"}, content_type="application/json")
        assert response.status_code == 201
        assert response.json()["version"] == 1 and response.json()["template"] == "email-reminder-en"

    def test_a_template_that_does_not_render_is_400_with_what_was_generated(self, fake_openai, admin_client):
        fake_openai.json = BROKEN_EMAIL
        response = admin_client.post("/api/v1/assistant/templates/email-reminder-en/generate/",
                                     {"prompt": "A reminder"}, content_type="application/json")
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "template_invalid" and "nickname" in error["message"]
        assert error["generated"]["html"] == BROKEN_EMAIL["html"]
        assert not TemplateVersion.objects.exists()

    def test_an_unknown_template_is_404(self, fake_openai, admin_client):
        response = admin_client.post("/api/v1/assistant/templates/email-reminder-de/generate/",
                                     {"prompt": "A reminder"}, content_type="application/json")
        assert response.status_code == 404


def test_the_sandbox_error_is_in_bulgarian(fake_openai, admin_client):
    fake_openai.json = BROKEN_EMAIL
    admin_client.cookies["django_language"] = "bg"
    response = admin_client.post(_url("assistant_template_generate", "email-reminder-en"), {"prompt": "Напомняне"},
                                 HTTP_ACCEPT_LANGUAGE="bg")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Нищо не е записано." in page and "Създай с AI" in page
    assert not TemplateVersion.objects.exists()
