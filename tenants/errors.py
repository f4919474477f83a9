"""Errors of tenant provisioning and lifecycle that users and operators can meet."""

from django.utils.translation import gettext_lazy as _

from config.errors import UserFacingError


class TenantError(UserFacingError):
    code = "tenant_error"
    default_message = _("The workspace could not be changed.")


class SlugInvalid(TenantError):
    code = "slug_invalid"


class SlugTaken(TenantError):
    code = "slug_taken"
    default_message = _("This address is already taken. Please choose another.")


class TemplateMissing(TenantError):
    code = "template_missing"
    default_message = _("The tenant template schema does not exist yet.")


class PgToolMissing(TenantError):
    code = "pg_tool_missing"


class BackupError(TenantError):
    code = "backup_error"
