"""The portal's e-mails: rendered in the workspace's look and the customer's language,
sent from the workspace's name, written to the outbox in the caller's transaction."""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from billing.entitlements import entitlement_allows
from tenants.hosts import public_url, tenant_url
from tenants.models import Domain


def portal_url(path: str) -> str:
    """Absolute URL of `path` on the current workspace's portal host."""
    return tenant_url(connection.tenant, path, surface=Domain.Surface.PORTAL)


def portal_link(url_name: str, token: str) -> str:
    return portal_url(reverse(url_name, urlconf="config.urls_portal", args=[token]))


def _language(user) -> str:
    from tenant_apps.workspace.selectors import workspace_language

    chosen = getattr(user, "language", "") if user is not None else ""
    return chosen if chosen in dict(settings.LANGUAGES) else workspace_language()


def branding_context() -> dict:
    """What a portal e-mail needs of the workspace: its name, colours, logo and whether the
    platform may be named (not on plans with white label)."""
    from themes.selectors import branding_get

    tenant = connection.tenant
    brand = branding_get()
    logo_url = ""
    if brand["logo_hash"]:
        logo_url = portal_url(reverse("branding_logo", urlconf="config.urls_portal", args=[brand["logo_hash"]]))
    return {
        "workspace": tenant,
        "brand": brand,
        "logo_url": logo_url,
        "white_label": entitlement_allows(tenant, "white_label"),
        "platform_url": public_url("/"),
    }


def portal_email_send(*, to: str, user, template: str, subject, context: dict) -> None:
    """Render portal/email/<template>.{txt,html} and queue it (outbox, same transaction).
    `subject` is a lazy string; %(workspace)s in it becomes the workspace's name."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    with translation.override(_language(user)):
        data = {**branding_context(), **context}
        text = render_to_string(f"portal/email/{template}.txt", data)
        html = render_to_string(f"portal/email/{template}.html", data)
        message = EmailMultiAlternatives(
            subject=" ".join((str(subject) % {"workspace": connection.tenant.name}).split())[:200], body=text,
            from_email=formataddr((connection.tenant.name, address)), to=[to],
        )
    message.attach_alternative(html, "text/html")
    message.send()
