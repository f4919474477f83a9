"""/api/v1/payments/ and /api/v1/sales-settings/, and the settings service behind them."""

from datetime import date, timedelta

import pytest

from tenant_apps.sales.models import Payment, SalesSettings
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/payments/"


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_payments_list_and_filters(api, owner, issued_invoice, django_assert_max_num_queries):
    from tenant_apps.sales.services.payments import payment_record

    today = date.today()
    for i in range(6):
        payment_record(invoice=issued_invoice, actor=owner, amount="10", paid_on=today - timedelta(days=i),
                       method="cash" if i % 2 else "bank_transfer")
    ids = lambda **q: [p["paid_on"] for p in api.get(URL, q).json()["results"]]  # noqa: E731
    assert ids() == [str(today - timedelta(days=i)) for i in range(6)]
    assert ids(method="cash") == [str(today - timedelta(days=i)) for i in (1, 3, 5)]
    assert ids(paid_on__gte=str(today - timedelta(days=1)), paid_on__lte=str(today)) == [str(today),
                                                                                       str(today - timedelta(days=1))]
    assert ids(document=issued_invoice.pk, kind="refund") == []
    assert api.get(URL, {"method": "barter"}).status_code == 400
    one = api.get(URL).json()["results"][0]
    assert api.get(f"{URL}{one['id']}/").json() == one
    assert one["recorded_by"]["id"] == owner.pk and one["currency"] == "EUR"
    api.get(URL, {"size": 2})
    with django_assert_max_num_queries(12) as small:
        api.get(URL, {"size": 2})
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(api.get(URL, {"size": 6}).json()["results"]) == 6


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"amount": "0"}, 400, "payment_amount_invalid"),
        ({"amount": "10", "currency": "USD"}, 400, "payment_currency_mismatch"),
        ({"amount": "ten"}, 400, "validation_error"),
        ({"amount": "10", "method": "barter"}, 400, "validation_error"),
    ],
)
def test_bad_payments_are_refused(api, issued_invoice, body, status, code):
    response = _post(api, URL, {"document": issued_invoice.pk, **body})
    assert response.status_code == status and error_of(response)["code"] == code
    assert Payment.objects.count() == 0


def test_a_draft_cannot_be_paid(api, draft_invoice):
    response = _post(api, URL, {"document": draft_invoice.pk, "amount": "10"})
    assert response.status_code == 409 and error_of(response)["code"] == "wrong_status"


def test_an_unknown_invoice_is_a_field_error(api):
    response = _post(api, URL, {"document": 987654, "amount": "10"})
    assert response.status_code == 400 and "document" in error_of(response)["fields"]


def test_a_sales_rep_records_payments_but_only_managers_refund(api_for, sales_rep, owner, issued_invoice):
    client = api_for(sales_rep)
    assert _post(client, URL, {"document": issued_invoice.pk, "amount": "100"}).status_code == 201
    refund = _post(client, URL, {"document": issued_invoice.pk, "kind": "refund", "amount": "10"})
    assert refund.status_code == 403 and error_of(refund)["code"] == "permission_denied"
    assert _post(api_for(owner), URL, {"document": issued_invoice.pk, "kind": "refund", "amount": "10"}).status_code == 201


def test_read_only_cannot_record(api_for, read_only, owner, issued_invoice):
    for client, code in ((api_for(read_only), "permission_denied"), (api_for(owner, "read"), "read_only_key")):
        response = _post(client, URL, {"document": issued_invoice.pk, "amount": "100"})
        assert response.status_code == 403 and error_of(response)["code"] == code
    assert Payment.objects.count() == 0


def test_a_restricted_rep_sees_payments_of_own_invoices_only(restricted, api_for, owner, sales_rep, issued_invoice):
    from tenant_apps.sales.services.payments import payment_record

    payment = payment_record(invoice=issued_invoice, actor=owner, amount="5")
    client = api_for(sales_rep)
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{payment.pk}/").status_code == 404
    assert _post(client, URL, {"document": issued_invoice.pk, "amount": "1"}).status_code == 400


# --- settings -----------------------------------------------------------------------------

SETTINGS = "/api/v1/sales-settings/"


def test_a_manager_reads_and_changes_the_settings(api, in_acme):
    assert api.get(SETTINGS).json()["invoice_number_format"] == "INV-{YYYY}-{0000}"
    response = api.patch(SETTINGS, {"invoice_number_format": "F{YY}/{N}", "reminder_days": [14, 3, 7],
                                    "iban": "bg80 bnbg 9661 1020 3456 78", "bic": "bnbgbgsd", "payment_terms_days": 30},
                         content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["invoice_number_format"], body["reminder_days"], body["iban"], body["bic"], body["payment_terms_days"]) == (
        "F{YY}/{N}", [3, 7, 14], "BG80BNBG96611020345678", "BNBGBGSD", 30)


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"invoice_number_format": "INV-{YYYY}"}, "number_format_invalid", "invoice_number_format"),
        ({"offer_number_format": "{0000}-{N}"}, "number_format_invalid", "offer_number_format"),
        ({"reminder_days": [3, 3]}, "reminder_days_invalid", "reminder_days"),
        ({"iban": "not an iban"}, "iban_invalid", "iban"),
        ({"bic": "X1"}, "bic_invalid", "bic"),
        ({"default_layout": "../../etc"}, "layout_invalid", "default_layout"),
    ],
)
def test_bad_settings_are_refused_all_or_nothing(api, in_acme, body, code, field):
    response = api.patch(SETTINGS, {"payment_terms_days": 60, **body}, content_type="application/json")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == code and list(error["fields"]) == [field]
    assert SalesSettings.objects.get_or_create(pk=1)[0].payment_terms_days == 14


@pytest.mark.parametrize("persona", ["sales_rep", "read_only"])
def test_only_managers_see_and_change_the_settings(api_for, request, persona):
    client = api_for(request.getfixturevalue(persona))
    assert client.get(SETTINGS).status_code == 403
    response = client.patch(SETTINGS, {"payment_terms_days": 1}, content_type="application/json")
    assert response.status_code == 403 and error_of(response)["code"] == "permission_denied"


def test_the_settings_service_directly(owner, sales_rep, in_acme):
    from tenant_apps.records.errors import RecordPermissionError
    from tenant_apps.sales.services.settings import sales_settings_update

    row = sales_settings_update(actor=owner, data={"reminder_days": "3, 7 14", "email_sender_name": " Acme Billing ",
                                                   "iban": "", "prices_include_tax": True})
    assert (row.reminder_days, row.email_sender_name, row.iban, row.prices_include_tax) == (
        [3, 7, 14], "Acme Billing", "", True)
    with pytest.raises(RecordPermissionError):
        sales_settings_update(actor=sales_rep, data={"iban": ""})
