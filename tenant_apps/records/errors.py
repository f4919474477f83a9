from django.utils.translation import gettext_lazy as _

from config.errors import UserFacingError


class RecordError(UserFacingError):
    code = "record_invalid"
    default_message = _("This record could not be saved.")


class RecordValidationError(RecordError):
    """Field-level problems: `errors` maps a field name to its messages."""

    code = "validation_error"
    default_message = _("Some fields are not valid.")

    def __init__(self, errors: dict, message=None):
        self.errors = errors
        super().__init__(message)


class RecordPermissionError(RecordError):
    code = "permission_denied"
    default_message = _("You do not have permission to do that.")


class RecordNotFound(RecordError):
    code = "not_found"
    default_message = _("This record does not exist or you cannot see it.")


def deny_if_forbidden(exc: RecordError) -> None:
    """In a page view: a permission error becomes a 403, whichever door it came through
    (a crafted POST by a read-only member gets no friendlier answer than that)."""
    from django.core.exceptions import PermissionDenied

    if isinstance(exc, RecordPermissionError):
        raise PermissionDenied(str(exc.message)) from exc
