"""Writes of Stripe Connect: a workspace's own Stripe account, which its customers pay
invoices into from the portal, and the payments Stripe reports on it.

The account is created in Stripe once per workspace (under the tenant's row lock, with an
idempotency key behind it). A card payment is recorded from Stripe's
checkout.session.completed event alone, through sales' payment_record with the payment
intent as external id: the unique column makes two deliveries, or two at once, one payment.
"""

import logging
import time
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django_tenants.utils import tenant_context

from shared_apps.audit.models import EventKind
from shared_apps.audit.services import security_event_record
from tenants.models import Tenant

from . import stripe_gateway
from .errors import CardPaymentsUnavailable, ConnectNotStarted, CurrencyNotSupported, InvoiceNotPayable
from .models import ConnectedAccount

logger = logging.getLogger(__name__)

# Stripe's currencies without minor units; three-decimal ones are not offered at all.
ZERO_DECIMAL_CURRENCIES = {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND",
                           "VUV", "XAF", "XOF", "XPF"}


def _minor_exponent(currency: str) -> int:
    return 0 if currency.upper() in ZERO_DECIMAL_CURRENCIES else 2


def amount_to_minor(amount: Decimal, currency: str) -> int:
    return int((amount * (10 ** _minor_exponent(currency))).to_integral_value())


def amount_from_minor(minor: int, currency: str) -> Decimal:
    return (Decimal(int(minor)) / (10 ** _minor_exponent(currency))).quantize(Decimal("0.01"))


def currency_supported(currency: str) -> bool:
    return currency.upper() in {c.upper() for c in settings.STRIPE_CONNECT_CURRENCIES}


def _flags(account: dict) -> dict:
    return {
        "charges_enabled": bool(account.get("charges_enabled")),
        "payouts_enabled": bool(account.get("payouts_enabled")),
        "details_submitted": bool(account.get("details_submitted")),
        "default_currency": (account.get("default_currency") or "").upper()[:3],
        "country": (account.get("country") or "")[:2],
    }


def connect_onboarding_start(*, tenant: Tenant, refresh_url: str, return_url: str, actor, request=None) -> str:
    """The URL of Stripe's onboarding for the workspace's connected account; the account is
    created in Stripe the first time only, however often (or concurrently) this is asked."""
    with transaction.atomic():
        Tenant.objects.select_for_update().only("pk").get(pk=tenant.pk)
        account = ConnectedAccount.objects.filter(tenant=tenant).first()
        if account is None:
            data = stripe_gateway.connect_account_create(tenant=tenant, email=getattr(actor, "email", "") or "")
            account = ConnectedAccount.objects.create(tenant=tenant, stripe_account_id=data["id"], **_flags(data))
            security_event_record(
                kind=EventKind.PAYMENTS_CONNECTED, request=request, actor=actor, tenant=tenant,
                stripe_account=account.stripe_account_id,
            )
    return stripe_gateway.connect_onboarding_link_create(
        account_id=account.stripe_account_id, refresh_url=refresh_url, return_url=return_url
    )


def connect_onboarding_resume(*, tenant: Tenant, refresh_url: str, return_url: str) -> str:
    """A fresh onboarding link for an account that exists (Stripe's links expire quickly)."""
    account = ConnectedAccount.objects.filter(tenant=tenant).first()
    if account is None:
        raise ConnectNotStarted()
    return stripe_gateway.connect_onboarding_link_create(
        account_id=account.stripe_account_id, refresh_url=refresh_url, return_url=return_url
    )


def connected_account_refresh(*, tenant: Tenant) -> ConnectedAccount | None:
    """Re-read the workspace's account from Stripe (on the return from onboarding)."""
    account = ConnectedAccount.objects.filter(tenant=tenant).first()
    if account is None:
        return None
    data = stripe_gateway.connect_account_retrieve(account.stripe_account_id)
    return connected_account_sync(account=data, as_of=None)


def connected_account_sync(*, account: dict, as_of: datetime | None) -> ConnectedAccount | None:
    """Store Stripe's view of a connected account; `as_of` (an event's time) older than the
    state stored changes nothing. An account that is none of ours is ignored (None)."""
    with transaction.atomic():
        row = ConnectedAccount.objects.select_for_update().filter(stripe_account_id=account.get("id") or "").first()
        if row is None:
            return None
        if as_of is not None and row.synced_at is not None and as_of < row.synced_at:
            return row
        for field, value in _flags(account).items():
            setattr(row, field, value)
        if as_of is not None:
            row.synced_at = as_of
        row.save()
    return row


CHECKOUT_LIFETIME_SECONDS = 30 * 60


def invoice_checkout_start(*, tenant: Tenant, invoice, customer_email: str, success_url: str, cancel_url: str) -> str:
    """A Stripe Checkout page on the workspace's connected account for what is still owed
    on `invoice` (a portal customer's open invoice); returns its URL. Nothing is recorded
    here: the payment is recorded from Stripe's webhook when it has really been made."""
    from tenant_apps.sales.services.documents import OPEN_INVOICE

    account = ConnectedAccount.objects.filter(tenant=tenant).first()
    if account is None or not account.is_ready:
        raise CardPaymentsUnavailable()
    if invoice.kind != "invoice" or invoice.status not in OPEN_INVOICE or invoice.balance <= 0:
        raise InvoiceNotPayable()
    if not currency_supported(invoice.currency):
        raise CurrencyNotSupported()
    amount_minor = amount_to_minor(invoice.balance, invoice.currency)
    # One open Checkout page per invoice and amount: pressing "Pay" again (a second tab, the
    # back button) reuses it, so one payment cannot be made twice on two pages. Pages close
    # themselves after CHECKOUT_LIFETIME (Stripe's shortest); the cache forgets them sooner.
    reuse_key = f"connect-checkout:{tenant.schema_name}:{invoice.pk}:{amount_minor}"
    cached = caches["shared"].get(reuse_key)
    if cached:
        return cached
    metadata = {
        "tessera_schema": tenant.schema_name, "tenant_id": str(tenant.pk), "invoice_id": str(invoice.pk),
        "invoice_number": invoice.number, "amount_due_minor": str(amount_minor),
    }
    session = stripe_gateway.connect_checkout_session_create(
        account_id=account.stripe_account_id, currency=invoice.currency, amount_minor=amount_minor,
        description=f"{invoice.number} · {tenant.name}", metadata=metadata,
        client_reference_id=f"{tenant.schema_name}:{invoice.pk}", customer_email=customer_email,
        success_url=success_url, cancel_url=cancel_url,
        expires_at=int(time.time()) + CHECKOUT_LIFETIME_SECONDS,
    )
    caches["shared"].set(reuse_key, session["url"], CHECKOUT_LIFETIME_SECONDS - 120)
    return session["url"]


def connect_checkout_completed(*, account_id: str, session: dict):
    """Record the card payment a completed Checkout session on a connected account made,
    once (the payment intent is the payment's external id). Returns the Payment, or None
    when the event is none of ours or cannot be recorded (logged: the money needs a
    person, a retry of the event would not help)."""
    from tenant_apps.sales.errors import SalesError
    from tenant_apps.sales.models import Document, Payment
    from tenant_apps.sales.services.payments import payment_record

    if session.get("mode") != "payment" or session.get("payment_status") != "paid":
        return None
    row = ConnectedAccount.objects.select_related("tenant").filter(stripe_account_id=account_id or "").first()
    if row is None:
        logger.info("Stripe Connect: checkout session %s of unknown account %s ignored", session.get("id"), account_id)
        return None
    metadata = session.get("metadata") or {}
    tenant = row.tenant
    if metadata.get("tessera_schema") != tenant.schema_name or not str(metadata.get("invoice_id", "")).isdigit():
        logger.info("Stripe Connect: checkout session %s on %s is not an invoice payment of ours",
                    session.get("id"), tenant.slug)
        return None
    currency = (session.get("currency") or "").upper()
    amount = amount_from_minor(session.get("amount_total") or 0, currency)
    asked = metadata.get("amount_due_minor")
    note = "Paid by card (Stripe Checkout)."
    if asked and str(asked).isdigit() and int(asked) != int(session.get("amount_total") or 0):
        # Stripe's figure is what the customer paid; the difference is shown to staff.
        note += f" Amount asked: {amount_from_minor(int(asked), currency)} {currency}."
        logger.warning("Stripe Connect: session %s paid %s %s, %s minor units were asked",
                       session.get("id"), amount, currency, asked)
    external_id = session.get("payment_intent") or session.get("id")
    if isinstance(external_id, dict):
        external_id = external_id.get("id")
    with tenant_context(tenant):
        invoice = Document.objects.filter(pk=int(metadata["invoice_id"]), kind="invoice").first()
        if invoice is None:
            logger.error("Stripe Connect: session %s paid invoice %s of %s, which does not exist",
                         session.get("id"), metadata["invoice_id"], tenant.slug)
            return None
        try:
            return payment_record(
                invoice=invoice, actor=None, amount=amount, currency=currency, method=Payment.Method.STRIPE,
                reference=session.get("id") or "", note=note, external_id=external_id, door="stripe",
            )
        except SalesError as exc:
            logger.error("Stripe Connect: payment %s on invoice %s of %s could not be recorded (%s)",
                         external_id, invoice.number, tenant.slug, exc.code)
            _unrecorded_payment_notify(tenant, invoice, amount=amount, currency=currency, external_id=external_id,
                                       problem=exc.code)
            return None


UNRECORDED_KIND = "card_payment_unrecorded"


def _unrecorded_payment_notify(tenant, invoice, *, amount, currency, external_id, problem: str) -> None:
    """Stripe took a customer's money for an invoice that cannot take it (voided
    meanwhile, say): the workspace's owners and admins are told in the app, each in their
    language, once per payment, so that someone refunds it or records it by hand."""
    from django.urls import reverse
    from django.utils.formats import number_format
    from django.utils.translation import gettext as _

    from shared_apps.accounts.selectors import workspace_admins
    from tenant_apps.notifications.models import Notification
    from tenant_apps.notifications.services import notifications_in_their_language
    from tenant_apps.sales.models import Document

    reference = str(external_id or "")

    def text(_user):
        title = _("A card payment for invoice %(number)s could not be recorded") % {"number": invoice.number}
        paid = {"amount": number_format(amount, decimal_pos=2), "currency": currency, "reference": reference}
        if problem == "wrong_status":
            return title, _("Stripe took %(amount)s %(currency)s, but the invoice is %(status)s. Refund the payment "
                            "in Stripe or record it by hand. Stripe payment: %(reference)s") % {
                **paid, "status": invoice.get_status_display().lower()}
        return title, _("Stripe took %(amount)s %(currency)s, but it could not be recorded on the invoice. "
                        "Refund the payment in Stripe or record it by hand. Stripe payment: %(reference)s") % paid

    with transaction.atomic():
        # Two deliveries of one event at once: the invoice's row lock lets one of them tell.
        Document.objects.select_for_update().filter(pk=invoice.pk).first()
        if reference and Notification.objects.filter(kind=UNRECORDED_KIND, body__contains=reference).exists():
            return
        notifications_in_their_language(
            users=workspace_admins(tenant=tenant), kind=UNRECORDED_KIND, text=text,
            url=reverse("sales_document_detail", urlconf="config.urls_app", args=[invoice.pk]),
        )
