"""Saving, versioning and reverting templates."""

import pytest

from shared_apps.accounts.errors import PermissionDeniedError
from tenant_apps.templates.catalogue import TemplateKey, email_sample_context
from tenant_apps.templates.defaults import default_content
from tenant_apps.templates.errors import TemplateError
from tenant_apps.templates.models import TemplateVersion
from tenant_apps.templates.rendering import render_email
from tenant_apps.templates.selectors import template_content, template_versions
from tenant_apps.templates.services import template_revert, template_save

EMAIL = TemplateKey("email", "invoice", "en")
LAYOUT = TemplateKey("document", "classic")


@pytest.fixture
def as_admin(in_acme, admin):
    return admin


def test_until_edited_the_built_in_template_is_version_0(in_acme):
    content = template_content(kind="email", name="invoice", language="en")
    assert content.number == 0
    assert content == default_content("email", "invoice", "en")


def test_every_save_is_a_new_version_and_the_newest_is_used(as_admin):
    first = template_save(key=EMAIL, subject="Bill {{ document.number }}", html="<p>One</p>", actor=as_admin)
    second = template_save(key=EMAIL, subject="Invoice {{ document.number }}", html="<p>Two {{ customer.name }}</p>",
                           actor=as_admin)
    assert (first.number, second.number) == (1, 2)
    assert second.created_by == as_admin
    subject, html, text = render_email(purpose="invoice", language="en", context=email_sample_context("invoice", "en"))
    assert subject == "Invoice INV-2026-0042"
    assert "Two Initech Ltd" in html and text == "Two Initech Ltd\n"
    # the other language is untouched
    assert template_content(kind="email", name="invoice", language="bg").number == 0


def test_a_broken_template_is_not_saved(as_admin):
    with pytest.raises(TemplateError) as caught:
        template_save(key=EMAIL, subject="Invoice", html="<p>\n{% for x in %}</p>", actor=as_admin)
    assert caught.value.line == 2
    assert caught.value.part == "html"
    assert not TemplateVersion.objects.exists()


def test_an_unknown_variable_in_the_subject_is_not_saved(as_admin):
    with pytest.raises(TemplateError) as caught:
        template_save(key=EMAIL, subject="{{ invoice.number }}", html="<p>x</p>", actor=as_admin)
    assert caught.value.part == "subject"
    assert not TemplateVersion.objects.exists()


def test_an_email_needs_a_subject(as_admin):
    with pytest.raises(TemplateError) as caught:
        template_save(key=EMAIL, subject="  ", html="<p>x</p>", actor=as_admin)
    assert caught.value.code == "subject_required"


def test_a_document_template_is_checked_with_every_kind_of_document(as_admin):
    html = default_content("document", "classic").html.replace("{{ document.number }}", "{{ document.number.upper() }}")
    template_save(key=LAYOUT, html=html, css="body { color: red; }", actor=as_admin)
    with pytest.raises(TemplateError):
        # an offer has no credits_number attribute of a dict: strict variables catch it
        template_save(key=LAYOUT, html="{{ document.credited.number }}", actor=as_admin)


def test_a_stylesheet_cannot_close_the_style_element(as_admin):
    with pytest.raises(TemplateError) as caught:
        template_save(key=LAYOUT, html="<p>x</p>", css="</style><script>alert(1)</script>", actor=as_admin)
    assert (caught.value.code, caught.value.part) == ("css_invalid", "css")


def test_revert_saves_a_copy_of_the_old_version_as_the_newest(as_admin):
    template_save(key=EMAIL, subject="One", html="<p>One</p>", actor=as_admin)
    template_save(key=EMAIL, subject="Two", html="<p>Two</p>", actor=as_admin)
    reverted = template_revert(key=EMAIL, number=1, actor=as_admin)
    assert (reverted.number, reverted.reverted_from, reverted.subject) == (3, 1, "One")
    assert [v.number for v in template_versions(key=EMAIL)] == [3, 2, 1]
    back_to_default = template_revert(key=EMAIL, number=0, actor=as_admin)
    assert back_to_default.html == default_content("email", "invoice", "en").html
    assert template_content(kind="email", name="invoice", language="en").number == 4


def test_revert_to_an_unknown_version_is_refused(as_admin):
    with pytest.raises(TemplateError) as caught:
        template_revert(key=EMAIL, number=9, actor=as_admin)
    assert caught.value.code == "version_unknown"


@pytest.mark.parametrize("persona", ["sales_rep", "read_only"])
def test_only_owners_and_admins_edit_templates(in_acme, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDeniedError):
        template_save(key=EMAIL, subject="x", html="<p>x</p>", actor=user)
    assert not TemplateVersion.objects.exists()
