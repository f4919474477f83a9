"""Reads of Stripe Connect: where a workspace's card payments stand, and whether one of
its invoices can be paid by card now."""

from .connect_services import currency_supported
from .models import ConnectedAccount


def connected_account_for(tenant) -> ConnectedAccount | None:
    return ConnectedAccount.objects.filter(tenant_id=tenant.pk).first()


def connect_status(tenant) -> dict:
    """The workspace's card payments: not connected, onboarding incomplete, or ready."""
    account = connected_account_for(tenant)
    status = account.status if account else ConnectedAccount.Status.NOT_CONNECTED
    return {
        "account": account,
        "status": status,
        "status_label": ConnectedAccount.Status(status).label,
        "stripe_account_id": account.stripe_account_id if account else "",
        "charges_enabled": bool(account and account.charges_enabled),
        "payouts_enabled": bool(account and account.payouts_enabled),
        "details_submitted": bool(account and account.details_submitted),
    }


def invoice_payment_offer(*, tenant, invoice) -> dict:
    """Whether `invoice` can be paid by card now, and if not, why (a stable reason)."""
    from tenant_apps.sales.services.documents import OPEN_INVOICE

    balance = invoice.balance
    if invoice.kind != "invoice" or invoice.status not in OPEN_INVOICE or balance <= 0:
        reason = "nothing_due"
    elif not currency_supported(invoice.currency):
        reason = "currency"
    else:
        account = connected_account_for(tenant)
        reason = "" if account is not None and account.is_ready else "unavailable"
    return {"payable": not reason, "reason": reason, "amount": balance, "currency": invoice.currency, "invoice": invoice}
