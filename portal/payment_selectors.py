"""Reads of the portal's card payments: a customer's own invoice, and whether a Checkout
session of it has been recorded yet."""

from django.http import Http404

from tenant_apps.sales.models import Document, DocumentKind, DocumentStatus, Payment

from .access import customer_scope


def portal_invoice_get(*, access, pk: int) -> Document:
    """An issued invoice of the customer behind `access`; any other id is a 404."""
    invoice = (
        Document.objects.filter(customer_scope(access), kind=DocumentKind.INVOICE, pk=pk)
        .exclude(status__in=(DocumentStatus.DRAFT, DocumentStatus.VOID))
        .first()
    )
    if invoice is None:
        raise Http404
    return invoice


def portal_checkout_recorded(*, invoice: Document, session_id: str) -> bool:
    """Whether Stripe's webhook has recorded the payment of Checkout session `session_id`."""
    if not session_id:
        return False
    return Payment.objects.filter(document=invoice, reference=session_id[:120], kind=Payment.Kind.PAYMENT).exists()
