"""Nora accepts or declines her company's offer in the portal: the typed name, the time and
her IP are the acceptance record, on the offer and on the timeline; the owner is told."""

import pytest
from django.db import connection
from django.test import Client

from tests.helpers import sign_in
from tests.portal.documents import customer_document
from tests.portal_helpers import portal_client_for

pytestmark = pytest.mark.django_db


def _in(tenant, fn):
    connection.set_tenant(tenant)
    try:
        return fn()
    finally:
        connection.set_schema_to_public()


def _offer(tenant, pk):
    from tenant_apps.sales.models import Document

    return _in(tenant, lambda: Document.objects.get(pk=pk))


def _events(tenant, event):
    from tenant_apps.activities.models import Activity

    return _in(tenant, lambda: list(Activity.objects.filter(event=event).order_by("pk")))


def test_accepting_records_name_time_and_ip_on_the_offer_and_timeline(customer, customer_client, tenant_a,
                                                                      owner):
    # given
    offer = customer_document(tenant_a, customer, kind="offer")
    # when
    response = customer_client.post(f"/offers/{offer.pk}/answer/", {"decision": "accept", "name": "Nora Customer"},
                                    REMOTE_ADDR="203.0.113.7")
    # then
    assert response.status_code == 302 and response["Location"] == f"/offers/{offer.pk}/"
    offer = _offer(tenant_a, offer.pk)
    assert offer.status == "accepted" and offer.decided_at is not None
    assert offer.decision["name"] == "Nora Customer"
    assert offer.decision["ip"] == "203.0.113.7" and offer.decision["door"] == "portal"
    [event] = _events(tenant_a, "offer_accepted")
    assert event.data["name"] == "Nora Customer" and event.data["ip"] == "203.0.113.7"
    assert event.company_id == customer.contact.company_id and event.contact_id == customer.contact_id
    assert offer.decision["at"] == offer.decided_at.isoformat() and event.occurred_at is not None
    # The owner is told in the app.
    from tenant_apps.notifications.models import Notification

    notes = _in(tenant_a, lambda: list(Notification.objects.filter(user=owner, kind="offer_decided")))
    assert len(notes) == 1 and offer.number in notes[0].title and "Nora Customer" in notes[0].body
    assert notes[0].url == f"/sales/documents/{offer.pk}/"
    # The staff see the acceptance record on the company's timeline.
    app = Client(HTTP_HOST="acme.localhost")
    sign_in(app, owner, tenant=tenant_a)
    page = app.get(f"/companies/{customer.contact.company_id}/").content.decode()
    assert "Nora Customer" in page and "203.0.113.7" in page and "in the customer portal" in page
    # And the customer sees her answer.
    page = customer_client.get(f"/offers/{offer.pk}/").content.decode()
    assert "Accepted" in page and "Accept the offer" not in page


def test_declining_keeps_the_reason(customer, customer_client, tenant_a):
    offer = customer_document(tenant_a, customer, kind="offer")
    response = customer_client.post(f"/offers/{offer.pk}/answer/", {
        "decision": "decline", "name": "Nora Customer", "reason": "Too expensive this year"})
    assert response.status_code == 302
    offer = _offer(tenant_a, offer.pk)
    assert offer.status == "declined" and offer.decision["reason"] == "Too expensive this year"
    [event] = _events(tenant_a, "offer_declined")
    assert event.data["reason"] == "Too expensive this year" and event.data["ip"] == "127.0.0.1"


def test_the_typed_name_is_required(customer, customer_client, tenant_a):
    offer = customer_document(tenant_a, customer, kind="offer")
    response = customer_client.post(f"/offers/{offer.pk}/answer/", {"decision": "accept", "name": "   "})
    assert response.status_code == 400
    assert b"This field is required" in response.content
    assert _offer(tenant_a, offer.pk).status == "sent"
    assert _events(tenant_a, "offer_accepted") == []


def test_a_double_submit_records_once(customer, customer_client, tenant_a):
    offer = customer_document(tenant_a, customer, kind="offer")
    data = {"decision": "accept", "name": "Nora Customer"}
    assert customer_client.post(f"/offers/{offer.pk}/answer/", data).status_code == 302
    second = customer_client.post(f"/offers/{offer.pk}/answer/", data, follow=True)
    assert second.status_code == 200
    assert b"Your answer had already been recorded." in second.content
    assert len(_events(tenant_a, "offer_accepted")) == 1


def test_a_decided_offer_cannot_be_answered_the_other_way(customer, customer_client, tenant_a):
    offer = customer_document(tenant_a, customer, kind="offer")
    customer_client.post(f"/offers/{offer.pk}/answer/", {"decision": "decline", "name": "Nora Customer"})
    response = customer_client.post(f"/offers/{offer.pk}/answer/", {"decision": "accept", "name": "Nora Customer"},
                                    follow=True)
    assert response.status_code == 200
    assert b"already been answered" in response.content
    assert _offer(tenant_a, offer.pk).status == "declined"
    assert _events(tenant_a, "offer_accepted") == []


def test_an_expired_offer_says_so(customer, customer_client, tenant_a):
    import datetime

    from tenant_apps.sales.services.documents import offers_expire

    offer = customer_document(tenant_a, customer, kind="offer")
    _in(tenant_a, lambda: offers_expire(today=offer.valid_until + datetime.timedelta(days=1)))
    response = customer_client.post(f"/offers/{offer.pk}/answer/", {"decision": "accept", "name": "Nora Customer"},
                                    follow=True)
    assert response.status_code == 200
    assert b"This offer has expired." in response.content
    assert _offer(tenant_a, offer.pk).status == "expired"


def test_another_company_cannot_answer_her_offer(customer, other_customer, tenant_a):
    offer = customer_document(tenant_a, customer, kind="offer")
    otto = portal_client_for(other_customer, tenant_a)
    response = otto.post(f"/offers/{offer.pk}/answer/", {"decision": "decline", "name": "Otto Other"})
    assert response.status_code == 404
    assert _offer(tenant_a, offer.pk).status == "sent"


def test_a_get_is_not_an_answer(customer, customer_client, tenant_a):
    offer = customer_document(tenant_a, customer, kind="offer")
    assert customer_client.get(f"/offers/{offer.pk}/answer/?decision=accept&name=X").status_code == 405
    assert _offer(tenant_a, offer.pk).status == "sent"
