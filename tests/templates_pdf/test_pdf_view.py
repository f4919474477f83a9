"""Downloading a document's PDF."""

import pytest
from django.urls import reverse


def _url(document, **query):
    url = reverse("sales_document_pdf", urlconf="config.urls_app", args=[document.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_a_member_gets_the_pdf_inline(client_for, read_only, issued_invoice):
    response = client_for(read_only).get(_url(issued_invoice))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{issued_invoice.number}.pdf"'
    assert response.content.startswith(b"%PDF")


def test_download_1_makes_it_an_attachment(client_for, owner, issued_invoice):
    response = client_for(owner).get(_url(issued_invoice, download=1))
    assert response["Content-Disposition"] == f'attachment; filename="{issued_invoice.number}.pdf"'


def test_a_draft_is_named_as_a_draft(client_for, owner, draft_invoice):
    response = client_for(owner).get(_url(draft_invoice))
    assert response["Content-Disposition"] == f'inline; filename="draft-{draft_invoice.pk}.pdf"'


def test_a_restricted_rep_gets_404_for_someone_elses_document(restricted, client_for, sales_rep, issued_invoice):
    assert client_for(sales_rep).get(_url(issued_invoice)).status_code == 404


def test_a_restricted_rep_gets_their_own(restricted, client_for, sales_rep, vat):
    from tenant_apps.companies.services import company_create
    from tenant_apps.sales.services.documents import document_create

    mine = company_create(actor=sales_rep, data={"name": "Rep Customer"})
    own = document_create(actor=sales_rep, kind="invoice", data={"company": mine, "currency": "EUR"},
                          lines=[{"description": "Mine", "quantity": "1", "unit_price": "5"}])
    assert client_for(sales_rep).get(_url(own)).status_code == 200


def test_an_unknown_document_is_404(client_for, owner, in_acme):
    assert client_for(owner).get(reverse("sales_document_pdf", urlconf="config.urls_app", args=[999999])).status_code == 404


def test_a_broken_template_gives_a_clear_page_not_a_500(client_for, owner, issued_invoice):
    from tenant_apps.templates.models import Template, TemplateVersion

    template = Template.objects.create(kind="document", name="classic")
    TemplateVersion.objects.create(template=template, number=1, html="<p>\n{{ document.missing.part }}</p>")
    response = client_for(owner).get(_url(issued_invoice))
    assert response.status_code == 400
    assert "Line 2:" in response.content.decode()


@pytest.mark.django_db
def test_another_workspaces_user_gets_nothing(app_client, outsider, tenant_a, tenant_b, issued_invoice):
    from tests.helpers import sign_in

    sign_in(app_client, outsider, tenant=tenant_b)
    response = app_client.get(_url(issued_invoice))
    assert response.status_code in (302, 403, 404)
    assert b"%PDF" not in response.content
