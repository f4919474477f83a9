"""The template editor pages: list, edit, preview, versions, revert."""

import pytest
from django.urls import reverse

from tenant_apps.templates.models import TemplateVersion


def _url(name, *args):
    return reverse(name, urlconf="config.urls_app", args=args)


@pytest.fixture
def admin_client(client_for, admin):
    return client_for(admin)


def test_the_list_shows_every_template_and_the_version_in_use(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = admin_client.get(_url("template_list"))
    page = response.content.decode()
    assert response.status_code == 200
    for slug in ("document-classic", "document-modern", "email-offer-en", "email-reminder-bg"):
        assert _url("template_edit", slug) in page


def test_the_templates_tab_is_in_the_settings(admin_client):
    assert _url("template_list") in admin_client.get(_url("settings_branding")).content.decode()


def test_the_editor_lists_the_variables(admin_client):
    page = admin_client.get(_url("template_edit", "email-invoice-en")).content.decode()
    assert "customer.contact_name" in page and "days_overdue" in page
    assert "Dear {{ customer.contact_name or customer.name }}" in page.replace("&#x27;", "'")


def test_an_unknown_template_is_404(admin_client):
    assert admin_client.get(_url("template_edit", "email-invoice-de")).status_code == 404


def test_saving_makes_a_new_version(admin_client):
    response = admin_client.post(_url("template_edit", "email-offer-en"),
                                 {"subject": "Our offer {{ document.number }}", "html": "<p>Hi {{ customer.name }}</p>",
                                  "text": ""})
    assert response.status_code == 302
    version = TemplateVersion.objects.get()
    assert (version.number, version.subject) == (1, "Our offer {{ document.number }}")


def test_a_broken_template_shows_the_error_and_its_line_and_is_not_saved(admin_client):
    response = admin_client.post(_url("template_edit", "email-offer-en"),
                                 {"subject": "Offer", "html": "<p>one</p>\n<p>{{ customer.name }</p>", "text": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Line 2:" in page
    assert "customer.name }&lt;/p&gt;" in page  # what was typed is kept in the form
    assert not TemplateVersion.objects.exists()


def test_a_sandbox_escape_is_refused_with_a_clear_message(admin_client):
    response = admin_client.post(_url("template_edit", "document-classic"),
                                 {"html": "<p>{{ ''.__class__.__mro__ }}</p>", "css": ""})
    assert response.status_code == 400
    assert "not allowed in a template" in response.content.decode()
    assert not TemplateVersion.objects.exists()


def test_an_email_preview_is_sandboxed_html(admin_client):
    response = admin_client.post(_url("template_preview", "email-reminder-en"),
                                 {"subject": "Late {{ document.number }}", "html": "<p>{{ days_overdue }} days</p><script>x()</script>"})
    assert response.status_code == 200
    assert "sandbox" in response["Content-Security-Policy"]
    page = response.content.decode()
    assert "Late INV-2026-0042" in page and "7 days" in page
    assert not TemplateVersion.objects.exists()


def test_a_document_preview_is_a_pdf_of_sample_data(admin_client):
    from tenant_apps.templates.defaults import default_content

    content = default_content("document", "modern")
    response = admin_client.post(_url("template_preview", "document-modern"),
                                 {"html": content.html, "css": content.css, "sample_kind": "offer", "sample_language": "bg"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    import io

    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "OFF-2026-0007" in text and "Инитех ООД" in text


def test_a_broken_preview_shows_the_error(admin_client):
    response = admin_client.post(_url("template_preview", "document-classic"), {"html": "{% for %}", "css": ""})
    assert response.status_code == 400
    assert "Line 1:" in response.content.decode()


def test_versions_and_revert(admin_client, django_assert_max_num_queries):
    for subject in ("One", "Two"):
        admin_client.post(_url("template_edit", "email-offer-bg"), {"subject": subject, "html": f"<p>{subject}</p>"})
    with django_assert_max_num_queries(12):
        page = admin_client.get(_url("template_versions", "email-offer-bg")).content.decode()
    assert _url("template_revert", "email-offer-bg", 1) in page
    assert _url("template_revert", "email-offer-bg", 0) in page
    response = admin_client.post(_url("template_revert", "email-offer-bg", 1))
    assert response.status_code == 302
    newest = TemplateVersion.objects.order_by("-number").first()
    assert (newest.number, newest.subject, newest.reverted_from) == (3, "One", 1)
    assert admin_client.post(_url("template_revert", "email-offer-bg", 42)).status_code == 404


@pytest.mark.parametrize("persona", ["sales_rep", "read_only"])
def test_members_who_are_not_admins_cannot_edit(client_for, persona, request):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(_url("template_list")).status_code == 403
    assert client.post(_url("template_edit", "email-offer-en"), {"subject": "x", "html": "<p>x</p>"}).status_code == 403
    assert client.post(_url("template_revert", "email-offer-en", 0)).status_code == 403
    assert not TemplateVersion.objects.exists()


def test_the_editor_speaks_bulgarian(admin_client):
    page = admin_client.get(_url("template_list"), HTTP_ACCEPT_LANGUAGE="bg").content.decode()
    assert "Шаблони" in page
