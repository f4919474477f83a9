"""What a portal customer may change: answer an offer, correct their own contact details, and
take their data with them. Each function re-checks that the document or record is the
customer's (portal.customer_selectors), then calls the owning app's service, which writes the
timeline and history rows in its own transaction."""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shared_apps.audit.models import EventKind
from shared_apps.audit.services import security_event_record
from tenant_apps.contacts.models import Contact
from tenant_apps.contacts.services import contact_update_own_details
from tenant_apps.records.errors import RecordPermissionError
from tenant_apps.sales.errors import SalesError
from tenant_apps.sales.models import Document, DocumentKind, DocumentStatus
from tenant_apps.sales.services.documents import offer_decide

from .models import PortalAccess
from .customer_selectors import portal_document_get

DOOR = "portal"
DECIDED = {True: DocumentStatus.ACCEPTED, False: DocumentStatus.DECLINED}


@dataclass
class OfferAnswer:
    document: Document
    # False when the same answer had already been recorded (a double submit): nothing new was written.
    recorded: bool


def _check_actor(access: PortalAccess, actor) -> None:
    if actor is None or access is None or access.user_id != actor.pk or not access.is_active:
        raise RecordPermissionError()


def portal_offer_decide(*, access: PortalAccess, pk, accept: bool, name: str, reason: str = "", ip: str = "",
                        actor) -> OfferAnswer:
    """The customer accepts or declines one of their company's sent offers, typing their full
    name; the offer, and the timeline of its company, contact and deal, keep the name, the time
    and the IP as the acceptance record, and the offer's owner is notified. Answering again with
    the same answer records nothing new; any other answer to a decided, expired or withdrawn
    offer is refused with SalesError."""
    _check_actor(access, actor)
    name = " ".join((name or "").split())
    if not name:
        # Declining needs a name too: the refusal is a record of who answered.
        raise SalesError("decision_name_required", field="name")
    document = portal_document_get(access=access, pk=pk, kind=DocumentKind.OFFER)
    if document.status == DECIDED[accept]:
        return OfferAnswer(document=document, recorded=False)
    if document.status == DocumentStatus.EXPIRED:
        raise SalesError("offer_expired")
    if document.status == DocumentStatus.SENT and document.valid_until and document.valid_until < timezone.localdate():
        # offer_decide keeps the expiry it finds and refuses: no transaction of ours around it.
        offer_decide(document=document, accept=accept, actor=None, name=name, ip=ip, door=DOOR, reason=reason)
    try:
        # One transaction: the answer, its timeline entries and the owner's notification.
        with transaction.atomic():
            # actor=None: the customer is no member; offer_decide's permission check is for staff.
            document = offer_decide(document=document, accept=accept, actor=None, name=name, ip=ip, door=DOOR,
                                    reason=reason)
            _notify_owner(document)
    except SalesError as exc:
        # Two submits at once: the second waited for the first's row lock and found it answered.
        current = Document.objects.filter(pk=document.pk).values_list("status", flat=True).first()
        if exc.code == "wrong_status" and current == DECIDED[accept]:
            document.status = current
            return OfferAnswer(document=document, recorded=False)
        if exc.code in ("wrong_status", "offer_expired") and current in (DocumentStatus.EXPIRED, DocumentStatus.SENT):
            raise SalesError("offer_expired") from None
        raise
    return OfferAnswer(document=document, recorded=True)


def _notify_owner(document: Document) -> None:
    """Tell the offer's owner (or whoever drafted it, while still a member) in-app, in their
    language. A row in the same transaction as the answer: nothing to lose, nothing to send."""
    from shared_apps.accounts.models import Membership
    from tenant_apps.notifications.services import notification_create

    user_id = document.owner_id or document.created_by_id
    membership = (
        Membership.objects.select_related("user")
        .filter(user_id=user_id, tenant_id=connection.tenant.pk, user__is_active=True).first()
        if user_id else None
    )
    if membership is None:
        return
    user = membership.user
    customer = (document.customer or {}).get("name") or document.decision.get("name", "")
    with translation.override(user.language or settings.LANGUAGE_CODE):
        if document.status == DocumentStatus.ACCEPTED:
            title = _("%(customer)s accepted offer %(number)s") % {"customer": customer, "number": document.number}
        else:
            title = _("%(customer)s declined offer %(number)s") % {"customer": customer, "number": document.number}
        body = _("Answered in the customer portal by %(name)s.") % {"name": document.decision.get("name", "")}
        reason = document.decision.get("reason")
        if reason:
            body = f"{body} {reason}"
    notification_create(
        user=user, kind="offer_decided", title=title, body=body,
        url=reverse("sales_document_detail", urlconf="config.urls_app", args=[document.pk]),
    )


def portal_profile_update(*, access: PortalAccess, data: dict, actor) -> Contact:
    """The customer corrects their own name, phone and address (not the e-mail they sign in
    with); the contact's history names them and the portal as the door."""
    _check_actor(access, actor)
    contact = contact_update_own_details(contact=access.contact, actor=actor, data=data, door=DOOR)
    access.contact = contact
    return contact


def portal_data_export_record(*, access: PortalAccess, actor, request=None) -> None:
    """Log in the security log that the customer downloaded their data (the export is a selector)."""
    _check_actor(access, actor)
    security_event_record(
        kind=EventKind.DATA_EXPORTED, request=request, actor=actor, tenant=connection.tenant,
        what="portal_customer", contact_id=access.contact_id,
    )
