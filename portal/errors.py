"""Errors of the portal's access flows; each has a stable code and a message for the user."""

from django.utils.translation import gettext_lazy as _

from config.errors import UserFacingError


class PortalError(UserFacingError):
    code = "portal_error"


class PortalLinkError(PortalError):
    """An e-mailed link that cannot be used (any more). The page offers a new one."""

    code = "link_invalid"
    default_message = _("This link is not valid. Ask for a new one below.")


class PortalAccessError(PortalError):
    code = "portal_access_error"
    http_status = 409


class PortalPermissionError(PortalError):
    code = "permission_denied"
    default_message = _("You do not have permission to do that.")
