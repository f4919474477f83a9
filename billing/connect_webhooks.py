"""Stripe Connect's webhook on the public host (/webhooks/stripe/connect/): events of the
workspaces' connected accounts, signed with STRIPE_CONNECT_WEBHOOK_SECRET.

A bad signature is a 400. An event of an account that is none of ours is answered 200
(and logged), so Stripe stops sending it. Anything that fails on our side is a 500, so
Stripe delivers again; recording is idempotent, so a repeat changes nothing."""

import json
import logging
from datetime import datetime
from datetime import timezone as dt_timezone

import stripe
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import connect_services

logger = logging.getLogger(__name__)

PAYMENT_EVENTS = ("checkout.session.completed", "checkout.session.async_payment_succeeded")


@csrf_exempt
@require_POST
def stripe_connect_webhook(request):
    secret = settings.STRIPE_CONNECT_WEBHOOK_SECRET
    if not secret:
        logger.error("Stripe Connect webhook received, but STRIPE_CONNECT_WEBHOOK_SECRET is not set")
        return HttpResponseBadRequest("not configured")
    try:
        stripe.Webhook.construct_event(request.body, request.headers.get("Stripe-Signature", ""), secret)
        data = json.loads(request.body)
    except (ValueError, stripe.SignatureVerificationError):
        return HttpResponseBadRequest("bad signature")
    kind, account_id, obj = data.get("type"), data.get("account") or "", (data.get("data") or {}).get("object") or {}
    if kind == "account.updated":
        created = datetime.fromtimestamp(int(data.get("created") or 0), tz=dt_timezone.utc)
        if connect_services.connected_account_sync(account=obj, as_of=created) is None:
            logger.info("Stripe Connect: account.updated of unknown account %s ignored", obj.get("id"))
    elif kind in PAYMENT_EVENTS:
        connect_services.connect_checkout_completed(account_id=account_id, session=obj)
    return HttpResponse("ok")
