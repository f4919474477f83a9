"""/api/v1/documents/: drafts with nested lines, the offer and invoice life cycles as
actions, issued documents refusing every change, visibility and permissions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tenant_apps.sales.models import Document
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/documents/"


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def _patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


@pytest.fixture
def widget(owner, vat):
    from tenant_apps.sales.services.products import product_create

    return product_create(actor=owner, data={"sku": "W-1", "name": "Widget", "unit": "pcs", "tax_rates": [vat]},
                          prices=[{"currency": "EUR", "unit_price": "10"},
                                  {"currency": "EUR", "min_quantity": "10", "unit_price": "8"}])


def test_create_a_draft_invoice_with_free_and_product_lines(api, company, contact, vat, widget):
    # when
    response = _post(api, URL, {
        "kind": "invoice", "company": company.pk, "contact": contact.pk, "currency": "eur", "discount_percent": "10",
        "lines": [{"description": "Consulting", "quantity": "2", "unit_price": "100", "tax_rates": [vat.pk]},
                  {"product": widget.pk, "quantity": "10"}],
    })
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["status"], body["number"], body["currency"]) == ("invoice", "draft", "", "EUR")
    assert body["company"] == {"id": company.pk, "name": "Initech"}
    assert body["contact"] == {"id": contact.pk, "full_name": "Ivan Petrov"}
    # 200 + 10 × 8 (the tier for 10) = 280, 10 % off = 252, 20 % VAT = 50.40
    assert [(line["description"], line["sku"], line["unit"], line["unit_price"], line["amount"]) for line in body["lines"]] == [
        ("Consulting", "", "", "100.0000", "200.00"), ("Widget", "W-1", "pcs", "8.0000", "80.00")]
    assert body["lines"][1]["taxes"] == [{"name": "VAT", "rate": "20.00"}]
    assert (body["subtotal"], body["discount_total"], body["net_total"], body["tax_total"], body["total"]) == (
        "280.00", "28.00", "252.00", "50.40", "302.40")
    assert body["tax_breakdown"] == [{"name": "VAT", "rate": "20.00", "base": "252.00", "amount": "50.40"}]
    assert body["payments"] == [] and body["balance"] == "302.40"


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([{"description": "", "quantity": "1", "unit_price": "1"}], "line_invalid"),
        ([{"description": "X", "quantity": "0", "unit_price": "1"}], "line_invalid"),
        ([{"description": "X", "quantity": "1"}], "line_invalid"),
        ([{"description": "X", "quantity": "1", "unit_price": "1", "tax_rates": [987654]}], "tax_invalid"),
        ([{"product": 987654}], "product_invalid"),
        ([{"description": "X", "quantity": "1", "unit_price": "1", "discount_percent": "150"}], "discount_invalid"),
        ([{"description": "X", "quantity": "1", "unit_price": "1.00001"}], "validation_error"),
    ],
)
def test_bad_lines_are_refused_and_nothing_is_written(api, company, widget, lines, code):
    response = _post(api, URL, {"company": company.pk, "currency": "EUR", "lines": lines})
    assert response.status_code == 400, response.content
    assert error_of(response)["code"] == code
    assert Document.objects.count() == 0


def test_a_product_without_a_price_in_the_currency(api, company, widget):
    response = _post(api, URL, {"company": company.pk, "currency": "USD", "lines": [{"product": widget.pk}]})
    assert response.status_code == 400 and error_of(response)["code"] == "price_missing"
    assert "lines" in error_of(response)["fields"]


def test_a_record_the_caller_cannot_see_is_a_field_error(api, outsider, tenant_b):
    response = _post(api, URL, {"company": 987654, "lines": []})
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"company": ["Choose a record you can see."]}


def test_patch_a_draft_then_the_issued_invoice_refuses_every_change(api, draft_invoice, vat):
    url = f"{URL}{draft_invoice.pk}/"
    changed = _patch(api, url, {"notes": "Thanks!", "lines": [{"description": "Only line", "quantity": "1",
                                                               "unit_price": "50", "tax_rates": [vat.pk]}]})
    assert changed.status_code == 200, changed.content
    assert changed.json()["total"] == "60.00" and len(changed.json()["lines"]) == 1
    issued = _post(api, f"{url}issue/")
    assert issued.status_code == 200 and issued.json()["status"] == "issued"
    assert issued.json()["number"].startswith("INV-") and issued.json()["customer"]["name"] == "Initech"
    for response in (_patch(api, url, {"notes": "changed"}), api.delete(url), _post(api, f"{url}issue/")):
        assert response.status_code == 409, response.content
        assert error_of(response)["code"] == "not_draft"
    draft_invoice.refresh_from_db()
    assert draft_invoice.notes == "Thanks!" and draft_invoice.total == Decimal("60.00")


def test_delete_a_draft(api, draft_invoice):
    assert api.delete(f"{URL}{draft_invoice.pk}/").status_code == 204
    assert not Document.objects.filter(pk=draft_invoice.pk).exists()


def test_the_offer_flow_through_the_api(api, company, contact, widget):
    # given a draft offer
    offer = _post(api, URL, {"kind": "offer", "company": company.pk, "contact": contact.pk, "currency": "EUR",
                             "lines": [{"product": widget.pk, "quantity": "3"}]}).json()
    url = f"{URL}{offer['id']}/"
    assert error_of(_post(api, f"{url}accept/"))["code"] == "wrong_status"  # not sent yet
    assert error_of(_post(api, f"{url}issue/"))["code"] == "wrong_kind"
    # when
    sent = _post(api, f"{url}mark-sent/").json()
    accepted = _post(api, f"{url}accept/", {"name": "Ivan Petrov"}).json()
    converted = _post(api, f"{url}convert/")
    # then
    assert sent["status"] == "sent" and sent["number"].startswith("OFF-") and sent["valid_until"]
    assert accepted["status"] == "accepted" and accepted["decision"]["name"] == "Ivan Petrov"
    assert accepted["decision"]["door"] == "api"
    assert converted.status_code == 201
    invoice = converted.json()
    assert (invoice["kind"], invoice["status"], invoice["source_offer"], invoice["total"]) == (
        "invoice", "draft", offer["id"], "36.00")
    assert api.get(url).json()["status"] == "converted"
    assert _post(api, f"{url}convert/").status_code == 409
    # the invoice is issued and paid in two parts, then overpaid and refunded
    invoice_url = f"{URL}{invoice['id']}/"
    assert _post(api, f"{invoice_url}issue/", {"issue_date": str(timezone.localdate())}).json()["status"] == "issued"
    first = _post(api, "/api/v1/payments/", {"document": invoice["id"], "amount": "20", "method": "card",
                                             "reference": "R-1"})
    assert first.status_code == 201, first.content
    assert first.json()["document_number"].startswith("INV-") and first.json()["method"] == "card"
    assert api.get(invoice_url).json()["status"] == "partially_paid"
    _post(api, "/api/v1/payments/", {"document": invoice["id"], "amount": "20"})
    paid = api.get(invoice_url).json()
    assert paid["status"] == "paid" and paid["balance"] == "-4.00" and len(paid["payments"]) == 2
    refund = _post(api, "/api/v1/payments/", {"document": invoice["id"], "kind": "refund", "amount": "4"})
    assert refund.status_code == 201 and refund.json()["kind"] == "refund"
    assert api.get(invoice_url).json()["balance"] == "0.00"
    too_much = _post(api, "/api/v1/payments/", {"document": invoice["id"], "kind": "refund", "amount": "1000"})
    assert too_much.status_code == 400 and error_of(too_much)["code"] == "refund_exceeds_paid"


def test_decline_and_an_expired_offer(api, owner, company, vat, monkeypatch):
    from tenant_apps.sales.services.documents import document_create, offer_mark_sent

    def sent_offer():
        offer = document_create(actor=owner, kind="offer", data={"company": company},
                                lines=[{"description": "Audit", "unit_price": "100"}])
        return offer_mark_sent(document=offer, actor=owner)

    declined = _post(api, f"{URL}{sent_offer().pk}/decline/")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    late = sent_offer()
    after_validity = late.valid_until + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: after_validity)
    response = _post(api, f"{URL}{late.pk}/accept/")
    assert response.status_code == 409 and error_of(response)["code"] == "offer_expired"
    late.refresh_from_db()
    assert late.status == "expired"  # the refusal is an answer: the expiry is kept


def test_void_and_credit_note(api, api_for, sales_rep, issued_invoice):
    url = f"{URL}{issued_invoice.pk}/"
    assert _post(api_for(sales_rep), f"{url}void/", {"reason": "x"}).status_code == 403
    note = _post(api, f"{url}credit-note/", {"lines": [{"description": "Discount given", "unit_price": "100"}]})
    assert note.status_code == 201, note.content
    assert (note.json()["kind"], note.json()["status"], note.json()["credited_document"]) == (
        "credit_note", "draft", issued_invoice.pk)
    issued_note = _post(api, f"{URL}{note.json()['id']}/issue/").json()
    assert issued_note["number"].startswith("CN-")
    invoice = api.get(url).json()
    assert invoice["amount_credited"] == "100.00" and invoice["status"] == "partially_paid"
    refused = _post(api, f"{url}void/", {"reason": "Wrong customer"})  # something was credited
    assert refused.status_code == 409 and error_of(refused)["code"] == "wrong_status"


def test_void_an_untouched_invoice(api, issued_invoice):
    voided = _post(api, f"{URL}{issued_invoice.pk}/void/", {"reason": "Wrong customer"})
    assert voided.status_code == 200
    assert (voided.json()["status"], voided.json()["void_reason"]) == ("void", "Wrong customer")


def test_list_filters(api, owner, company, contact, draft_invoice, issued_invoice, vat, monkeypatch):
    from tenant_apps.sales.services.documents import document_create

    offer = document_create(actor=owner, kind="offer", data={"contact": contact},
                            lines=[{"description": "Audit", "unit_price": "100"}])
    ids = lambda **q: [d["id"] for d in api.get(URL, q).json()["results"]]  # noqa: E731
    assert ids() == [offer.pk, issued_invoice.pk]  # newest first (the draft became the issued one)
    assert ids(kind="offer") == [offer.pk]
    assert ids(status="issued") == [issued_invoice.pk]
    assert ids(company=company.pk) == [offer.pk, issued_invoice.pk]
    today = str(timezone.localdate())
    assert ids(issue_date__gte=today, issue_date__lte=today) == [issued_invoice.pk]
    assert ids(overdue="true") == []
    # before the daily job has marked it overdue
    past_due = issued_invoice.due_date + timedelta(days=2)
    monkeypatch.setattr(timezone, "localdate", lambda *args: past_due)
    assert ids(overdue="true") == [issued_invoice.pk]
    assert ids(overdue="false") == [offer.pk]
    assert api.get(URL, {"kind": "receipt"}).status_code == 400
    assert api.get(URL, {"issue_date__gte": "not a date"}).status_code == 400


def test_the_list_costs_the_same_queries_for_any_page_size(api, owner, company, contact, django_assert_max_num_queries):
    from tenant_apps.sales.services.documents import document_create

    for i in range(12):
        document_create(actor=owner, kind="invoice", data={"company": company, "contact": contact},
                        lines=[{"description": f"Line {i}", "unit_price": "10"}])
    api.get(URL, {"size": 2})
    with django_assert_max_num_queries(12) as small:
        assert len(api.get(URL, {"size": 2}).json()["results"]) == 2
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(api.get(URL, {"size": 12}).json()["results"]) == 12


def test_read_only_key_and_member_cannot_write(api_for, owner, read_only, draft_invoice, company):
    for client, code in ((api_for(owner, "read"), "read_only_key"), (api_for(read_only), "permission_denied")):
        assert client.get(f"{URL}{draft_invoice.pk}/").status_code == 200
        for response in (_post(client, URL, {"company": company.pk}),
                         _patch(client, f"{URL}{draft_invoice.pk}/", {"notes": "x"}),
                         client.delete(f"{URL}{draft_invoice.pk}/"),
                         _post(client, f"{URL}{draft_invoice.pk}/issue/")):
            assert response.status_code == 403 and error_of(response)["code"] == code
    draft_invoice.refresh_from_db()
    assert draft_invoice.status == "draft" and draft_invoice.notes == ""


def test_a_restricted_sales_rep_sees_and_changes_only_own_documents(restricted, api_for, owner, sales_rep, company,
                                                                   draft_invoice):
    from tenant_apps.companies.services import company_create

    client = api_for(sales_rep)
    # the owner's invoice is invisible to the rep: 404, not 403
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{draft_invoice.pk}/").status_code == 404
    assert _patch(client, f"{URL}{draft_invoice.pk}/", {"notes": "x"}).status_code == 404
    assert client.delete(f"{URL}{draft_invoice.pk}/").status_code == 404
    assert _post(client, f"{URL}{draft_invoice.pk}/issue/").status_code == 404
    # the owner's company cannot be billed by the rep; the rep's own can
    assert _post(client, URL, {"company": company.pk}).json()["error"]["fields"] == {
        "company": ["Choose a record you can see."]}
    own_company = company_create(actor=sales_rep, data={"name": "Rep's customer"})
    mine = _post(client, URL, {"company": own_company.pk, "currency": "EUR",
                               "lines": [{"description": "Setup", "unit_price": "50"}]})
    assert mine.status_code == 201, mine.content
    assert mine.json()["owner"]["id"] == sales_rep.pk
    assert [d["id"] for d in client.get(URL).json()["results"]] == [mine.json()["id"]]
    assert _post(client, f"{URL}{mine.json()['id']}/issue/").status_code == 200


def test_errors_speak_bulgarian(api, issued_invoice):
    response = api.patch(f"{URL}{issued_invoice.pk}/", {"notes": "x"}, content_type="application/json",
                         HTTP_ACCEPT_LANGUAGE="bg")
    error = error_of(response)
    assert error["code"] == "not_draft"
    assert error["message"] != "This document is no longer a draft: it cannot be changed. Correct an issued invoice with a credit note."
    assert any("\u0400" <= ch <= "\u04ff" for ch in error["message"])


def test_paging_through_documents(api, owner, company):
    from tenant_apps.sales.services.documents import document_create

    made = [document_create(actor=owner, kind="offer", data={"company": company},
                            lines=[{"description": "x", "unit_price": "1"}]).pk for _ in range(5)]
    seen, url = [], URL + "?size=2"
    while url:
        page = api.get(url).json()
        seen += [d["id"] for d in page["results"]]
        url = page["next"]
    assert seen == made[::-1]
