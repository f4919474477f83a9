"""The base of every error a user can meet: a stable code (for the API and logs) and a
message in the user's language (for the UI). Each app subclasses it in its errors.py."""

from django.utils.translation import gettext_lazy as _


class UserFacingError(Exception):
    code = "error"
    default_message = _("Something went wrong.")

    def __init__(self, message=None, *, code=None):
        self.message = message or self.default_message
        if code:
            self.code = code
        super().__init__(str(self.message))
