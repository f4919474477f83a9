"""Register the Stripe webhook endpoint that dj-stripe verifies events against.

    manage.py billing_webhook_endpoint --stripe-id we_123 [--secret whsec_...]

Create the endpoint in Stripe's dashboard first (events: checkout.session.completed,
customer.subscription.*, invoice.paid, invoice.payment_succeeded,
invoice.payment_failed), then run this with its id and signing secret (default:
STRIPE_WEBHOOK_SECRET); it prints the URL to give Stripe. Running it again updates
the secret and keeps the URL.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from billing.webhooks import RECEIVERS
from tenants.hosts import public_url


class Command(BaseCommand):
    help = "Register (or update) the Stripe webhook endpoint and print its URL."

    def add_arguments(self, parser):
        parser.add_argument("--stripe-id", required=True, help="The endpoint's id in Stripe (we_...).")
        parser.add_argument("--secret", default="", help="Its signing secret (whsec_...); default STRIPE_WEBHOOK_SECRET.")

    def handle(self, *args, stripe_id, secret, **options):
        from djstripe.models import WebhookEndpoint

        secret = secret or settings.STRIPE_WEBHOOK_SECRET
        if not secret.startswith("whsec_"):
            raise CommandError("Give the endpoint's signing secret (whsec_...) or set STRIPE_WEBHOOK_SECRET.")
        endpoint = WebhookEndpoint.objects.filter(id=stripe_id).first() or WebhookEndpoint(id=stripe_id)
        endpoint.secret = secret
        endpoint.livemode = settings.STRIPE_LIVE_MODE
        endpoint.enabled_events = sorted(RECEIVERS)
        endpoint.status = "enabled"
        endpoint.api_version = endpoint.api_version or ""
        endpoint.save()
        endpoint.url = public_url(reverse("djstripe:djstripe_webhook_by_uuid", urlconf="config.urls_public", args=[endpoint.djstripe_uuid]))
        endpoint.save(update_fields=["url"])
        self.stdout.write(endpoint.url)
