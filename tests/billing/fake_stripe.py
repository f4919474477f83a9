"""A local stand-in for the Stripe API, so that tests never reach the internet.

A small threaded HTTP server that speaks the part of Stripe's REST API Tessera uses
(customers, Checkout and Billing Portal sessions, subscriptions, invoices, prices,
products, the account), with objects shaped like Stripe's own (API 2026-05-27.dahlia).
The real stripe SDK (and dj-stripe through it) is pointed at it with stripe.api_base.
Tests put objects in its store (`subscription(...)`, `invoice(...)`) and read the
requests it got (`calls`).

Stripe Connect: connected accounts (`POST /v1/accounts`, `GET /v1/accounts/<id>`), account
links, and payment-mode Checkout sessions made on a connected account, which must come
with the `Stripe-Account` header (`on_account` records which account each call was made
on). `connected_account(...)` and `checkout_paid(...)` build the objects Stripe's Connect
webhooks carry.
"""

import itertools
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

ACCOUNT_ID = "acct_1FakeTessera000001"
_ids = itertools.count(1)


def _new_id(prefix: str) -> str:
    return f"{prefix}_Fake{next(_ids):014d}"


def _list(data, url):
    return {"object": "list", "data": data, "has_more": False, "url": url}


class FakeStripe:
    def __init__(self):
        self.objects: dict[str, dict] = {}
        self.calls: list[tuple[str, str, dict]] = []
        # (method, path, the Stripe-Account header or None) of every call, in order.
        self.on_account: list[tuple[str, str, str | None]] = []
        # Browser tests: `hosted_checkout(webhook_url, secret)` makes payment-mode Checkout
        # URLs point at a page of this fake whose "Pay" button completes the session, posts
        # the signed checkout.session.completed to `webhook_url` and returns to success_url.
        self.hosted: tuple[str, str] | None = None
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def reset(self):
        with self.lock:
            self.objects.clear()
            self.calls.clear()
            self.on_account.clear()
            self.hosted = None

    def put(self, obj: dict) -> dict:
        with self.lock:
            self.objects[obj["id"]] = obj
        return obj

    def get(self, object_id: str) -> dict | None:
        with self.lock:
            return self.objects.get(object_id)

    def posted(self, path: str) -> list[dict]:
        return [params for method, p, params in self.calls if method == "POST" and p == path]

    def stripe_accounts(self, method: str, path: str) -> list[str | None]:
        """The Stripe-Account header of each `method` call to `path` (None: the platform's own)."""
        return [account for m, p, account in self.on_account if m == method and p == path]

    # --- realistic objects ------------------------------------------------------------

    def product(self, *, name="Tessera Pro", product_id=None) -> dict:
        now = int(time.time())
        return self.put({
            "id": product_id or _new_id("prod"), "object": "product", "active": True, "created": now,
            "updated": now, "default_price": None, "description": None, "images": [], "livemode": False,
            "marketing_features": [], "metadata": {}, "name": name, "package_dimensions": None,
            "shippable": None, "statement_descriptor": None, "tax_code": None, "type": "service",
            "unit_label": None, "url": None,
        })

    def price(self, *, price_id=None, amount=2900, interval="month", currency="eur", product=None) -> dict:
        product = product or self.product()
        return self.put({
            "id": price_id or _new_id("price"), "object": "price", "active": True, "billing_scheme": "per_unit",
            "created": int(time.time()), "currency": currency, "custom_unit_amount": None, "livemode": False,
            "lookup_key": None, "metadata": {}, "nickname": None, "product": product["id"],
            "recurring": {"aggregate_usage": None, "interval": interval, "interval_count": 1,
                          "meter": None, "trial_period_days": None, "usage_type": "licensed"},
            "tax_behavior": "unspecified", "tiers_mode": None, "transform_quantity": None, "type": "recurring",
            "unit_amount": amount, "unit_amount_decimal": str(amount),
        })

    def customer(self, *, email="owner@acme.test", metadata=None, customer_id=None) -> dict:
        return self.put({
            "id": customer_id or _new_id("cus"), "object": "customer", "address": None, "balance": 0,
            "created": int(time.time()), "currency": None, "default_source": None, "delinquent": False,
            "description": None, "discount": None, "email": email,
            "invoice_prefix": "FAKE" + str(next(_ids)), "invoice_settings": {
                "custom_fields": None, "default_payment_method": None, "footer": None, "rendering_options": None},
            "livemode": False, "metadata": metadata or {}, "name": None, "next_invoice_sequence": 1,
            "phone": None, "preferred_locales": [], "shipping": None, "tax_exempt": "none",
            "test_clock": None,
        })

    def subscription(self, *, customer, price, status="active", subscription_id=None, period_days=30,
                     cancel_at_period_end=False, canceled_at=None, created=None) -> dict:
        now = int(time.time())
        sub_id = subscription_id or _new_id("sub")
        start = created or now
        item = {
            "id": _new_id("si"), "object": "subscription_item", "created": start, "discounts": [],
            "metadata": {}, "price": price, "quantity": 1, "subscription": sub_id, "tax_rates": [],
            "current_period_start": start, "current_period_end": start + period_days * 86400,
            "billing_thresholds": None,
        }
        return self.put({
            "id": sub_id, "object": "subscription", "application": None, "application_fee_percent": None,
            "automatic_tax": {"enabled": False, "liability": None}, "billing_cycle_anchor": start,
            "billing_thresholds": None, "cancel_at": None, "cancel_at_period_end": cancel_at_period_end,
            "canceled_at": canceled_at, "cancellation_details": {"comment": None, "feedback": None, "reason": None},
            "collection_method": "charge_automatically", "created": start, "currency": price["currency"],
            "customer": customer, "days_until_due": None, "default_payment_method": None,
            "default_source": None, "default_tax_rates": [], "description": None, "discounts": [],
            "ended_at": canceled_at, "invoice_settings": {"account_tax_ids": None, "issuer": {"type": "self"}},
            "items": _list([item], f"/v1/subscription_items?subscription={sub_id}"),
            "latest_invoice": None, "livemode": False, "metadata": {}, "next_pending_invoice_item_invoice": None,
            "on_behalf_of": None, "pause_collection": None, "payment_settings": {
                "payment_method_options": None, "payment_method_types": None, "save_default_payment_method": "off"},
            "pending_invoice_item_interval": None, "pending_setup_intent": None, "pending_update": None,
            "schedule": None, "start_date": start, "status": status, "test_clock": None,
            "transfer_data": None, "trial_end": None, "trial_settings": {
                "end_behavior": {"missing_payment_method": "create_invoice"}}, "trial_start": None,
        })

    def invoice(self, *, customer, subscription, status="open", paid=False, amount=2900) -> dict:
        now = int(time.time())
        inv_id = _new_id("in")
        sub = self.get(subscription) or {}
        item = (sub.get("items") or {}).get("data", [{}])[0]
        return self.put({
            "id": inv_id, "object": "invoice", "account_country": "BG", "account_name": "Tessera",
            "amount_due": amount, "amount_paid": amount if paid else 0, "amount_remaining": 0 if paid else amount,
            "attempt_count": 1, "attempted": True, "auto_advance": not paid, "billing_reason": "subscription_cycle",
            "collection_method": "charge_automatically", "created": now, "currency": "eur", "customer": customer,
            "customer_email": "owner@acme.test", "default_payment_method": None, "description": None,
            "discounts": [], "due_date": None, "ending_balance": 0, "hosted_invoice_url": None,
            "invoice_pdf": None, "lines": _list([{
                "id": _new_id("il"), "object": "line_item", "amount": amount, "currency": "eur",
                "description": "1 × Tessera Pro", "livemode": False, "metadata": {},
                "period": {"start": item.get("current_period_start", now), "end": item.get("current_period_end", now)},
                "pricing": {"price_details": {"price": (item.get("price") or {}).get("id"), "product": None},
                            "type": "price_details", "unit_amount_decimal": str(amount)},
                "quantity": 1,
            }], f"/v1/invoices/{inv_id}/lines"),
            "livemode": False, "metadata": {}, "next_payment_attempt": None if paid else now + 3 * 86400,
            "number": f"FAKE-{next(_ids):04d}", "parent": {"quote_details": None, "subscription_details": {
                "metadata": {}, "subscription": subscription}, "type": "subscription_details"},
            "period_end": now, "period_start": now - 30 * 86400, "status": "paid" if paid else status,
            "status_transitions": {"finalized_at": now, "marked_uncollectible_at": None,
                                   "paid_at": now if paid else None, "voided_at": None},
            "subtotal": amount, "total": amount, "webhooks_delivered_at": now,
        })

    def connected_account(self, *, account_id=None, ready=False, metadata=None) -> dict:
        """An Express connected account; `ready` once onboarding is done and charges work."""
        return self.put({
            "id": account_id or "acct_" + _new_id("x")[2:], "object": "account", "type": "express",
            "business_profile": {"name": None, "url": None}, "business_type": None,
            "capabilities": {"card_payments": "active" if ready else "inactive",
                             "transfers": "active" if ready else "inactive"},
            "charges_enabled": ready, "payouts_enabled": ready, "details_submitted": ready,
            "controller": {"type": "application", "is_controller": True}, "country": "BG",
            "created": int(time.time()), "default_currency": "eur", "email": None, "metadata": metadata or {},
            "requirements": {"currently_due": [] if ready else ["external_account", "tos_acceptance.date"],
                             "disabled_reason": None if ready else "requirements.past_due",
                             "eventually_due": [], "past_due": []},
            "settings": {"dashboard": {"display_name": None}},
        })

    def account_ready(self, account_id: str, ready=True) -> dict:
        """Stripe's side of finishing (or losing) onboarding."""
        account = dict(self.get(account_id))
        account.update(charges_enabled=ready, payouts_enabled=ready, details_submitted=ready)
        return self.put(account)

    def hosted_checkout(self, webhook_url: str, secret: str) -> None:
        """Serve Checkout pages here (see __init__); events go to the Connect webhook at `webhook_url`."""
        self.hosted = (webhook_url, secret)

    def _hosted_page(self, session_id: str) -> tuple[int, str]:
        session = self.get(session_id)
        if session is None or session.get("mode") != "payment":
            return 404, "<p>No such Checkout session.</p>"
        amount = f"{session['amount_total'] / 100:.2f} {session['currency'].upper()}"
        return 200, (f"<!DOCTYPE html><title>Fake Checkout</title><h1>Pay {amount}</h1>"
                     f"<form method=post action=/c/pay/{session_id}/><button type=submit>Pay</button></form>")

    def _hosted_pay(self, session_id: str) -> str:
        """The customer pays: the session completes, Stripe sends the webhook, the browser returns."""
        import hashlib
        import hmac
        import urllib.request

        session = self.checkout_paid(session_id)
        webhook_url, secret = self.hosted
        body = json.dumps({
            "id": "evt_" + _new_id("x")[2:], "object": "event", "api_version": "2026-05-27.dahlia",
            "account": session["account"], "created": int(time.time()), "livemode": False, "pending_webhooks": 1,
            "data": {"object": session, "previous_attributes": {}}, "type": "checkout.session.completed",
            "request": {"id": None, "idempotency_key": None},
        })
        timestamp = int(time.time())
        signature = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
        request = urllib.request.Request(webhook_url, data=body.encode(), method="POST", headers={
            "Content-Type": "application/json", "Stripe-Signature": f"t={timestamp},v1={signature}"})
        urllib.request.urlopen(request, timeout=30).read()
        return session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)

    def checkout_paid(self, session_id: str, *, amount_total=None, payment_intent=None) -> dict:
        """A payment-mode session the customer has paid: the object of checkout.session.completed."""
        session = dict(self.get(session_id))
        session.update(
            status="complete", payment_status="paid",
            payment_intent=payment_intent or "pi_" + _new_id("x")[2:],
        )
        if amount_total is not None:
            session.update(amount_total=amount_total, amount_subtotal=amount_total)
        return self.put(session)

    # --- endpoints ----------------------------------------------------------------------

    def handle(self, method: str, path: str, params: dict, stripe_account: str | None = None):
        with self.lock:
            self.calls.append((method, path, params))
            self.on_account.append((method, path, stripe_account))
        if method == "POST" and path == "/v1/accounts":
            metadata = {k[len("metadata["):-1]: v for k, v in params.items() if k.startswith("metadata[")}
            return 200, self.connected_account(metadata=metadata)
        if method == "POST" and path == "/v1/account_links":
            if self.get(params.get("account", "")) is None or not params.get("return_url") or not params.get("refresh_url"):
                return 400, {"error": {"type": "invalid_request_error", "message": "Invalid account link request."}}
            now = int(time.time())
            return 200, {"object": "account_link", "created": now, "expires_at": now + 300,
                         "url": f"https://connect.stripe.com/setup/e/{params['account']}/{_new_id('x')[2:]}"}
        if method == "POST" and path == "/v1/checkout/sessions" and params.get("mode") == "payment":
            return self._payment_checkout_create(params, stripe_account)
        if path == "/v1/account":
            return 200, {"id": ACCOUNT_ID, "object": "account", "business_profile": {"name": "Tessera"},
                         "charges_enabled": True, "country": "BG", "default_currency": "eur",
                         "details_submitted": True, "email": "billing@tessera.test", "metadata": {},
                         "payouts_enabled": True, "settings": {"dashboard": {"display_name": "Tessera"}},
                         "type": "standard", "created": 1700000000}
        if method == "POST" and path == "/v1/customers":
            metadata = {k[len("metadata["):-1]: v for k, v in params.items() if k.startswith("metadata[")}
            return 200, self.customer(email=params.get("email", ""), metadata=metadata)
        if method == "POST" and path == "/v1/checkout/sessions":
            return self._checkout_create(params)
        if method == "POST" and path == "/v1/billing_portal/sessions":
            session_id = _new_id("bps")
            return 200, {"id": session_id, "object": "billing_portal.session", "configuration": "bpc_Fake",
                         "created": int(time.time()), "customer": params.get("customer"), "flow": None,
                         "livemode": False, "locale": params.get("locale"), "on_behalf_of": None,
                         "return_url": params.get("return_url"),
                         "url": f"https://billing.stripe.com/p/session/test_{session_id}"}
        expire = re.fullmatch(r"/v1/checkout/sessions/([\w]+)/expire", path)
        if method == "POST" and expire:
            session = self.get(expire.group(1))
            if session is None or session.get("object") != "checkout.session":
                return 404, {"error": {"type": "invalid_request_error", "code": "resource_missing",
                                       "message": f"No such checkout.session: '{expire.group(1)}'"}}
            if session["status"] != "open":
                return 400, {"error": {"type": "invalid_request_error",
                                       "message": "Only Checkout Sessions with a status of `open` can be expired."}}
            return 200, self.put(dict(session, status="expired"))
        match = re.fullmatch(r"/v1/(accounts|customers|checkout/sessions|subscriptions|invoices|prices|products)/([\w]+)", path)
        if method == "GET" and match:
            obj = self.get(match.group(2))
            if obj is not None:
                return 200, obj
        return 404, {"error": {"type": "invalid_request_error", "code": "resource_missing",
                               "message": f"No such object: '{path.rsplit('/', 1)[-1]}'", "param": "id"}}

    def _payment_checkout_create(self, params, stripe_account):
        account = self.get(stripe_account or "")
        if account is None or account.get("object") != "account":
            return 400, {"error": {"type": "invalid_request_error", "message": "A connected account is required."}}
        if not account.get("charges_enabled"):
            return 400, {"error": {"type": "invalid_request_error", "code": "account_invalid",
                                   "message": "This account cannot currently make live charges."}}
        try:
            amount = int(params["line_items[0][price_data][unit_amount]"])
            currency = params["line_items[0][price_data][currency]"]
        except (KeyError, ValueError):
            return 400, {"error": {"type": "invalid_request_error", "message": "Missing required param: line_items."}}
        session_id = "cs_test_" + _new_id("x")[2:]
        metadata = {k[len("metadata["):-1]: v for k, v in params.items() if k.startswith("metadata[")}
        return 200, self.put({
            "id": session_id, "object": "checkout.session", "account": stripe_account,
            "amount_subtotal": amount, "amount_total": amount, "cancel_url": params.get("cancel_url"),
            "client_reference_id": params.get("client_reference_id"), "created": int(time.time()),
            "currency": currency, "customer": None, "customer_email": params.get("customer_email"),
            "expires_at": int(time.time()) + 86400, "livemode": False, "locale": params.get("locale"),
            "metadata": metadata, "mode": "payment", "payment_intent": None, "payment_status": "unpaid",
            "status": "open", "success_url": params.get("success_url"), "ui_mode": "hosted",
            "url": f"{self.url if self.hosted else 'https://checkout.stripe.com'}/c/pay/{session_id}",
        })

    def _checkout_create(self, params):
        if not params.get("line_items[0][price]") or params.get("mode") != "subscription":
            return 400, {"error": {"type": "invalid_request_error", "message": "Missing required param: line_items."}}
        price = params["line_items[0][price]"]
        if self.get(price) is None:
            return 400, {"error": {"type": "invalid_request_error", "code": "resource_missing",
                                   "message": f"No such price: '{price}'", "param": "line_items[0][price]"}}
        session_id = "cs_test_" + _new_id("x")[2:]
        metadata = {k[len("metadata["):-1]: v for k, v in params.items() if k.startswith("metadata[")}
        return 200, self.put({
            "id": session_id, "object": "checkout.session", "allow_promotion_codes": None,
            "amount_subtotal": None, "amount_total": None, "billing_address_collection": None,
            "cancel_url": params.get("cancel_url"), "client_reference_id": params.get("client_reference_id"),
            "created": int(time.time()), "currency": None, "customer": params.get("customer"),
            "customer_email": None, "expires_at": int(params.get("expires_at") or time.time() + 86400), "invoice": None,
            "livemode": False, "locale": params.get("locale"), "metadata": metadata, "mode": "subscription",
            "payment_intent": None, "payment_link": None, "payment_method_types": ["card"],
            "payment_status": "unpaid", "status": "open", "subscription": None,
            "success_url": params.get("success_url"), "ui_mode": "hosted",
            "url": f"https://checkout.stripe.com/c/pay/{session_id}",
        })


def _handler_for(fake: FakeStripe):
    class Handler(BaseHTTPRequestHandler):
        def _hosted(self, method) -> bool:
            """The browser's side of hosted Checkout (no API key: it is a person's browser)."""
            match = re.fullmatch(r"/c/pay/(cs_test_\w+)/?", urlsplit(self.path).path)
            if not match or fake.hosted is None:
                return False
            if method == "POST":
                self.send_response(303)
                self.send_header("Location", fake._hosted_pay(match.group(1)))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return True
            status, html = fake._hosted_page(match.group(1))
            data = html.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return True

        def _respond(self, method):
            if self._hosted(method):
                return
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            params = dict(parse_qsl(body or parts.query, keep_blank_values=True))
            if not (self.headers.get("Authorization") or "").startswith("Bearer sk_test_"):
                status, payload = 401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}}
            else:
                status, payload = fake.handle(method, parts.path, params, self.headers.get("Stripe-Account"))
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", "req_" + _new_id("x")[2:])
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self._respond("GET")

        def do_POST(self):
            self._respond("POST")

        def do_DELETE(self):
            self._respond("DELETE")

        def log_message(self, *args):
            pass

    return Handler
