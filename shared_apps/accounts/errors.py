"""Errors of identity flows; each has a stable code and a message for the user."""

from django.utils.translation import gettext_lazy as _

from config.errors import UserFacingError


class AccountError(UserFacingError):
    code = "account_error"


class HandoffError(AccountError):
    code = "handoff_invalid"
    default_message = _("This sign-in link is not valid. Please sign in again.")


class InvitationError(AccountError):
    code = "invitation_invalid"
    default_message = _("This invitation link is not valid.")


class TwoFactorError(AccountError):
    code = "two_factor_invalid"
    default_message = _("That code is not valid. Check the time on your phone, or use a recovery code.")


class MembershipError(AccountError):
    code = "membership_error"


class PermissionDeniedError(AccountError):
    code = "permission_denied"
    default_message = _("You do not have permission to do that.")
