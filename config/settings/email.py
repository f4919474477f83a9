"""E-mail. Every message goes through the outbox (written in the sender's transaction,
delivered by Celery, swept when stuck); OUTBOX_DELIVERY_BACKEND does the delivery.

EMAIL_PROVIDER picks the delivery: "smtp" (the default; EMAIL_URL, e.g.
smtp+tls://user:password@smtp.example.com:587, or the console when unset) or one of
django-anymail's providers (mailgun, sendgrid, postmark, amazon_ses, brevo, mailjet,
mailersend, mailtrap, mandrill, postal, resend, scaleway, sparkpost, unisender_go).
A provider's settings come from ANYMAIL_* variables with the prefix removed, e.g.
ANYMAIL_MAILGUN_API_KEY (or ANYMAIL_MAILGUN_API_KEY_FILE) and ANYMAIL_MAILGUN_SENDER_DOMAIN.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .environment import env

ANYMAIL_PROVIDERS = (
    "amazon_ses", "brevo", "mailersend", "mailgun", "mailjet", "mailtrap", "mandrill", "postal", "postmark",
    "resend", "scaleway", "sendgrid", "sparkpost", "unisender_go",
)

EMAIL_BACKEND = "shared_apps.outbox.backends.OutboxEmailBackend"
EMAIL_PROVIDER = env.str("EMAIL_PROVIDER", default="smtp").strip().lower()
_email = env.email_url("EMAIL_URL", default="consolemail://")
if EMAIL_PROVIDER == "smtp":
    OUTBOX_DELIVERY_BACKEND = _email["EMAIL_BACKEND"]
elif EMAIL_PROVIDER in ANYMAIL_PROVIDERS:
    OUTBOX_DELIVERY_BACKEND = f"anymail.backends.{EMAIL_PROVIDER}.EmailBackend"
else:
    raise ImproperlyConfigured(f"EMAIL_PROVIDER must be smtp or one of {', '.join(ANYMAIL_PROVIDERS)}")


def _anymail_settings() -> dict:
    """ANYMAIL_<NAME>[_FILE] variables as anymail's settings dict (secrets may be files)."""
    found = {}
    for name in os.environ:
        if not name.startswith("ANYMAIL_"):
            continue
        key = name.removeprefix("ANYMAIL_").removesuffix("_FILE")
        found[key] = env.str(f"ANYMAIL_{key}").strip()
    return found


ANYMAIL = _anymail_settings()
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Tessera <no-reply@tessera.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OUTBOX_MAX_ATTEMPTS = 8
