from django.utils.translation import gettext_lazy as _

from config.errors import UserFacingError


class ApiKeyError(UserFacingError):
    code = "api_key_invalid"
    default_message = _("This API key could not be saved.")


class ApiKeyValidationError(ApiKeyError):
    """Field-level problems: `errors` maps a field name to its message."""

    code = "validation_error"
    default_message = _("Some fields are not valid.")

    def __init__(self, errors: dict, message=None):
        self.errors = errors
        super().__init__(message)


class ApiKeyPermissionError(ApiKeyError):
    code = "permission_denied"
    default_message = _("You do not have permission to do that.")
