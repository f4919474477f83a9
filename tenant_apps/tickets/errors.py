"""Refusals a ticket write can meet: a stable code for the API, a message for people."""

from django.utils.translation import gettext_lazy as _

from tenant_apps.records.errors import RecordValidationError


class TicketValidationError(RecordValidationError):
    """Field-level problems with a ticket, a message or its attachments."""


ATTACHMENT_TOO_BIG = _("“%(name)s” is larger than %(limit)s.")
ATTACHMENT_TYPE = _("“%(name)s” is not a file type we accept (PDF, images, text, office documents, ZIP).")
ATTACHMENTS_TOO_MANY = _("At most %(n)d files per message.")
