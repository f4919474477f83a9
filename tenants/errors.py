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


class DomainError(TenantError):
    code = "domain_error"
    default_message = _("The domain could not be changed.")


class DomainInvalid(DomainError):
    code = "domain_invalid"
    default_message = _("This is not a valid domain name.")


class DomainReserved(DomainError):
    code = "domain_reserved"
    default_message = _("This domain belongs to the platform and cannot be added.")


class DomainTaken(DomainError):
    code = "domain_taken"
    http_status = 409
    default_message = _("This domain is already in use. Each domain can belong to one workspace only.")


class DomainLimitReached(DomainError):
    code = "domain_limit_reached"
    http_status = 409


class DomainNotVerified(DomainError):
    code = "domain_not_verified"
    default_message = _("Verify the domain before making it the primary one.")


class DomainPlatformManaged(DomainError):
    code = "domain_platform_managed"
    default_message = _("The workspace's own address cannot be removed or verified.")
