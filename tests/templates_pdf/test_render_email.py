"""The e-mail templates: built-in defaults in both languages, a workspace's own version, errors."""

import pytest

from tenant_apps.templates.catalogue import EMAIL_PURPOSES, email_sample_context
from tenant_apps.templates.errors import TemplateError
from tenant_apps.templates.rendering import html_to_text, render_email


@pytest.mark.django_db
@pytest.mark.parametrize("purpose", [p for p, _label in EMAIL_PURPOSES])
def test_every_default_renders_in_english_and_bulgarian(in_acme, purpose):
    for language, greeting in (("en", "Dear"), ("bg", "Здравейте")):
        context = email_sample_context(purpose, language)
        subject, html, text = render_email(purpose=purpose, language=language, context=context)
        assert context["document"]["number"] in subject
        assert greeting in html and greeting in text
        assert context["customer"]["contact_name"] in text
        assert "<p>" not in text


@pytest.mark.django_db
def test_the_users_message_is_escaped_and_keeps_its_lines(in_acme):
    context = email_sample_context("invoice", "en") | {"message": "Hi <b>there</b>\nsecond line"}
    _subject, html, text = render_email(purpose="invoice", language="en", context=context)
    assert "Hi &lt;b&gt;there&lt;/b&gt;<br>" in html
    assert "Hi <b>there</b>\nsecond line" in text


@pytest.mark.django_db
def test_a_reminder_says_how_late_it_is(in_acme):
    context = email_sample_context("reminder", "bg") | {"days_overdue": 14}
    subject, _html, text = render_email(purpose="reminder", language="bg", context=context)
    assert subject.startswith("Напомняне за плащане")
    assert "просрочена с 14 дни" in text


@pytest.mark.django_db
def test_a_newline_in_a_value_does_not_break_the_subject(in_acme):
    context = email_sample_context("offer", "en")
    context["seller"]["name"] = "Acme\nBcc: victim@example.com"
    subject, _html, _text = render_email(purpose="offer", language="en", context=context)
    assert "\n" not in subject


@pytest.mark.django_db
def test_an_unknown_language_falls_back_to_english(in_acme):
    subject, _html, _text = render_email(purpose="offer", language="de", context=email_sample_context("offer", "en"))
    assert subject.startswith("Offer ")


@pytest.mark.django_db
def test_a_model_instance_never_reaches_a_template(in_acme, owner):
    context = email_sample_context("offer", "en") | {"sender_name": owner}
    with pytest.raises(TypeError):
        render_email(purpose="offer", language="en", context=context)


@pytest.mark.django_db
def test_a_broken_workspace_template_raises_a_template_error(in_acme):
    from tenant_apps.templates.models import Template, TemplateVersion

    template = Template.objects.create(kind="email", name="invoice", language="en")
    TemplateVersion.objects.create(template=template, number=1, subject="Invoice", html="<p>\n{{ customr.name }}</p>")
    with pytest.raises(TemplateError) as caught:
        render_email(purpose="invoice", language="en", context=email_sample_context("invoice", "en"))
    assert caught.value.line == 2
    assert "customr" in caught.value.message


def test_html_to_text_keeps_paragraphs_and_links():
    text = html_to_text('<p>One<br>two</p><p>See <a href="https://x.example/a">our site</a> &amp; more</p>')
    assert text == "One\ntwo\n\nSee our site (https://x.example/a) & more"


@pytest.mark.django_db
def test_variables_the_caller_leaves_out_are_empty(in_acme):
    subject, _html, text = render_email(purpose="invoice", language="en", context={
        "document": {"number": "INV-7", "balance": "€5.00"}, "customer": {"name": "Initech"},
    })
    assert subject == "Invoice INV-7 from"
    assert "Dear Initech" in text and "€5.00" in text
