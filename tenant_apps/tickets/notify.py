"""Telling people about ticket messages: the customer by e-mail (with a link to the
ticket on the portal, in the workspace's branding), staff in the app and by e-mail.

Called inside the service's transaction: the notification rows and the outbox rows commit
with the message or not at all, and the outbox sends each e-mail once after commit."""

import logging

from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
NOTIFICATION_KIND = "ticket"


def _shared() -> dict:
    from tenant_apps.workspace.selectors import workspace_language
    from themes.selectors import branding_get

    tenant = connection.tenant
    return {"workspace": tenant, "language": workspace_language(), "brand": branding_get()}


def _from_address() -> str:
    from email.utils import formataddr, parseaddr

    from django.conf import settings

    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((connection.tenant.name, address))


def _send(*, to: str, language: str, subject: str, template: str, context: dict, reply_to=()) -> None:
    with translation.override(language):
        subject = str(subject)
        text = render_to_string(f"tickets/email/{template}.txt", context)
        html = render_to_string(f"tickets/email/{template}.html", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split())[:200], text, from_email=_from_address(), to=[to], reply_to=list(reply_to),
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    message.send()


def customer_address(ticket) -> tuple[str, str]:
    """(address, language) for the ticket's customer: the contact's e-mail, else the one
    they sign in to the portal with."""
    contact = ticket.contact
    access = getattr(contact, "portal_access", None)  # none: RelatedObjectDoesNotExist is an AttributeError
    user = access.user if access is not None else None
    address = contact.email or (user.email if user is not None else "")
    language = (user.language if user is not None else "") or _shared()["language"]
    return address, language


def customer_of_staff_message(*, ticket, message) -> None:
    """E-mail a staff answer to the customer, with the link to the ticket on the portal."""
    from tenants.hosts import tenant_url

    if message.internal:
        return
    address, language = customer_address(ticket)
    if not address:
        logger.info("Ticket %s has no customer address to answer to", ticket.pk)
        return
    path = reverse("portal_ticket_detail", urlconf="config.urls_portal", args=[ticket.pk])
    context = {
        **_shared(), "ticket": ticket, "message": message, "contact": ticket.contact,
        "author_name": message.author.display_name if message.author else "",
        "url": tenant_url(connection.tenant, path, surface="portal"),
        "attachment_names": [a.original_name for a in message.attachments.all()],
    }
    with translation.override(language):
        subject = _("[#%(number)s] %(subject)s") % {"number": ticket.pk, "subject": ticket.subject}
    _send(to=address, language=language, subject=subject, template="staff_reply", context=context)


def _staff_recipients(ticket) -> list:
    from .selectors import ticket_admins

    if ticket.assignee_id:
        from .selectors import assignable_members

        if any(m.user_id == ticket.assignee_id for m in assignable_members()):
            return [ticket.assignee]
    return ticket_admins()


def staff_of_customer_message(*, ticket, message, opened: bool) -> None:
    """Tell the assignee (or, when nobody has the ticket, the owners and admins) that the
    customer opened a ticket or wrote on one: in the app and by e-mail."""
    from tenant_apps.notifications.services import notification_create
    from tenants.hosts import tenant_url

    path = reverse("ticket_detail", urlconf="config.urls_app", args=[ticket.pk])
    shared = _shared()
    customer = str(ticket.contact)
    for user in _staff_recipients(ticket):
        language = user.language or shared["language"]
        with translation.override(language):
            if opened:
                title = _("New ticket from %(name)s: %(subject)s") % {"name": customer, "subject": ticket.subject}
            else:
                title = _("%(name)s wrote on ticket #%(number)s") % {"name": customer, "number": ticket.pk}
            notification_create(user=user, kind=NOTIFICATION_KIND, title=title, body=message.body, url=path)
            subject = f"[#{ticket.pk}] {title}"
        context = {**shared, "ticket": ticket, "message": message, "user": user, "customer": customer,
                   "opened": opened, "url": tenant_url(connection.tenant, path)}
        _send(to=user.email, language=language, subject=subject, template="customer_message", context=context)


def member_of_assignment(*, ticket, user, actor) -> None:
    from tenant_apps.notifications.services import notification_create

    language = user.language or _shared()["language"]
    with translation.override(language):
        notification_create(
            user=user, kind=NOTIFICATION_KIND,
            title=_("%(name)s gave you ticket #%(number)s") % {"name": actor.display_name, "number": ticket.pk},
            body=ticket.subject, url=reverse("ticket_detail", urlconf="config.urls_app", args=[ticket.pk]),
        )
