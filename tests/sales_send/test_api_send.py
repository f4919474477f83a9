"""POST /api/v1/documents/{id}/send/: the same send as the page, errors in the API's shape."""

import pytest

from tenant_apps.sales.models import Document
from tests.api.conftest import api, api_for, error_of, make_key  # noqa: F401

pytestmark = pytest.mark.django_db


def _url(document):
    return f"/api/v1/documents/{document.pk}/send/"


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_send_an_offer(api, draft_offer, mailbox):
    response = _post(api, _url(draft_offer), {"to": ["ivan@initech.example"], "message": "See attached"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "sent" and body["number"].startswith("OFF-")
    [message] = mailbox()
    assert body["number"] in str(message["Subject"])


def test_a_bad_address_is_a_field_error(api, draft_offer, mailbox):
    response = _post(api, _url(draft_offer), {"to": ["nope"]})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "email_invalid" and "to" in error["fields"]
    assert Document.objects.get(pk=draft_offer.pk).status == "draft"
    assert mailbox() == []


def test_a_draft_invoice_conflicts_unless_issued_on_the_way(api, draft_invoice, mailbox):
    refused = _post(api, _url(draft_invoice), {"to": ["ivan@initech.example"]})
    assert refused.status_code == 409 and error_of(refused)["code"] == "issue_before_sending"
    sent = _post(api, _url(draft_invoice), {"to": ["ivan@initech.example"], "issue_draft": True})
    assert sent.status_code == 200 and sent.json()["status"] == "issued"
    assert len(mailbox()) == 1


def test_an_idempotency_key_sends_once(api, issued_invoice, mailbox):
    body = {"to": ["ivan@initech.example"], "idempotency_key": "abc"}
    assert _post(api, _url(issued_invoice), body).status_code == 200
    again = _post(api, _url(issued_invoice), body)
    assert again.status_code == 409 and error_of(again)["code"] == "already_sent"
    assert len(mailbox()) == 1


def test_read_only_members_and_keys_cannot_send(api_for, read_only, owner, issued_invoice, mailbox):
    assert _post(api_for(read_only), _url(issued_invoice), {"to": ["ivan@initech.example"]}).status_code == 403
    assert _post(api_for(owner, "read"), _url(issued_invoice), {"to": ["ivan@initech.example"]}).status_code == 403
    assert mailbox() == []
