"""Stripe's webhooks, after dj-stripe has verified the signature, stored the Event
(a replayed event id stops there) and synced the object: the workspace follows.

Receivers run inside dj-stripe's webhook transaction, so a failure leaves nothing
half-applied and Stripe delivers again."""

from datetime import datetime
from datetime import timezone as dt_timezone

from djstripe import signals
from djstripe.models import WebhookEventTrigger

from . import services


def _created(event) -> datetime:
    created = event.created
    if isinstance(created, (int, float)):
        return datetime.fromtimestamp(created, tz=dt_timezone.utc)
    return created


def on_checkout_session_completed(sender, event, **kwargs):
    services.checkout_completed(session=event.data["object"], event_id=event.id, event_created=_created(event))


def on_subscription_changed(sender, event, **kwargs):
    services.subscription_follow(subscription=event.data["object"], event_id=event.id, event_created=_created(event))


def on_invoice_payment_failed(sender, event, **kwargs):
    services.invoice_follow(invoice=event.data["object"], paid=False, event_id=event.id, event_created=_created(event))


def on_invoice_paid(sender, event, **kwargs):
    services.invoice_follow(invoice=event.data["object"], paid=True, event_id=event.id, event_created=_created(event))


def on_pre_process(sender, instance, **kwargs):
    services.billing_account_lock_for_event(instance.json_body)


RECEIVERS = {
    "checkout.session.completed": on_checkout_session_completed,
    "customer.subscription.created": on_subscription_changed,
    "customer.subscription.updated": on_subscription_changed,
    "customer.subscription.deleted": on_subscription_changed,
    "invoice.payment_failed": on_invoice_payment_failed,
    "invoice.paid": on_invoice_paid,
    "invoice.payment_succeeded": on_invoice_paid,
}


def connect() -> None:
    from djstripe.models import Event

    for name, receiver in RECEIVERS.items():
        signals.WEBHOOK_SIGNALS[name].connect(receiver, sender=Event, dispatch_uid=f"billing:{name}")
    signals.webhook_pre_process.connect(on_pre_process, sender=WebhookEventTrigger, dispatch_uid="billing:lock")
