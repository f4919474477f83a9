"""One error shape for every API answer that is not a success:

    {"error": {"code": "validation_error", "message": "Some fields are not valid.",
               "fields": {"email": ["“x” is not an e-mail address."]}}}

`code` is stable (clients branch on it); `message` is in the caller's language (the
Accept-Language header, else the member's language); `fields` appears only for
field-level problems. Any API view may let a service error (config.errors.UserFacingError,
tenant_apps.records.errors.RecordValidationError, ...) propagate: it is mapped here."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from billing.errors import EntitlementError
from config.errors import UserFacingError
from tenant_apps.records.errors import RecordNotFound, RecordPermissionError

# Stable codes for DRF's own exceptions.
DRF_CODES = {
    exceptions.ValidationError: "validation_error",
    exceptions.ParseError: "parse_error",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}
ERROR_CODES = sorted({*DRF_CODES.values(), "invalid_api_key", "api_key_revoked", "api_key_expired",
                      "api_key_member_gone", "malformed_authorization", "read_only_key", "invalid_filter",
                      "invalid_cursor", "record_invalid", "plan_limit_reached", "plan_feature_unavailable",
                      "not_configured", "credits_exhausted", "timeout", "upstream_error", "malformed_answer",
                      "not_analysed", "domain_invalid", "domain_reserved", "domain_taken",
                      "domain_limit_reached", "domain_not_verified", "domain_platform_managed", "dns_nxdomain",
                      "dns_no_record", "dns_wrong_value", "dns_timeout", "dns_error", "error"})


def error_body(code: str, message, fields: dict | None = None) -> dict:
    body = {"code": code, "message": force_str(message)}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _flatten(detail, prefix="") -> dict:
    """DRF's nested error detail as {"field" or "field.sub" or "field.0": [messages]}."""
    fields = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors":
                name = prefix or "non_field_errors"
            fields.update(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            if detail:
                fields[prefix or "non_field_errors"] = [force_str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                fields.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        fields[prefix or "non_field_errors"] = [force_str(detail)]
    return fields


def _fields_of(errors: dict) -> dict:
    return {key: [force_str(m) for m in (value if isinstance(value, list | tuple) else [value])]
            for key, value in errors.items()}


def _drf_code(exc) -> str:
    codes = exc.get_codes() if hasattr(exc, "get_codes") else None
    if isinstance(codes, str) and codes not in ("invalid", "error", "authentication_failed", "not_authenticated",
                                                "permission_denied", "not_found", "parse_error"):
        return codes  # a specific code we set (invalid_api_key, read_only_key, ...)
    for cls in type(exc).__mro__:
        if cls in DRF_CODES:
            return DRF_CODES[cls]
    return "error"


def api_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER (config/settings/api.py)."""
    headers = {}
    if isinstance(exc, UserFacingError):
        set_rollback()
        fields = _fields_of(exc.errors) if getattr(exc, "errors", None) else None
        if isinstance(exc, RecordNotFound):
            status_code = status.HTTP_404_NOT_FOUND
        elif isinstance(exc, EntitlementError):
            # 402: the request is fine, the workspace's plan does not cover it.
            status_code = status.HTTP_402_PAYMENT_REQUIRED
        elif isinstance(exc, RecordPermissionError) or exc.code == "permission_denied":
            status_code = status.HTTP_403_FORBIDDEN
        else:
            # An error may name its own status (409 for a state conflict, see sales.errors).
            status_code = getattr(exc, "http_status", None) or status.HTTP_400_BAD_REQUEST
        body = error_body(exc.code, exc.message, fields)
        if isinstance(exc, EntitlementError):
            body["error"]["upgrade_url"] = exc.upgrade_url
        return Response(body, status=status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a real bug: Django's 500 handling and logging
    set_rollback()
    request = context.get("request")
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        authenticator = getattr(request, "_authenticator", None) or (
            request.authenticators[0] if request is not None and request.authenticators else None
        )
        if authenticator is not None and authenticator.authenticate_header(request):
            headers["WWW-Authenticate"] = authenticator.authenticate_header(request)
            exc.status_code = status.HTTP_401_UNAUTHORIZED
        else:
            exc.status_code = status.HTTP_403_FORBIDDEN
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(int(exc.wait))
    code = _drf_code(exc)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        return Response(error_body(code, _("Some fields are not valid."), fields), status=exc.status_code,
                        headers=headers)
    detail = exc.detail
    if isinstance(detail, list | dict):
        detail = next(iter(_flatten(detail).values()), [""])[0]
    body = error_body(code, detail)
    if exc.status_code == status.HTTP_402_PAYMENT_REQUIRED:
        body["error"]["upgrade_url"] = EntitlementError.upgrade_url
    return Response(body, status=exc.status_code, headers=headers)


class InvalidQuery(UserFacingError):
    """Query parameters a list does not understand: reported, not silently ignored."""

    code = "invalid_filter"
    default_message = _lazy("Some query parameters are not valid.")

    def __init__(self, problems: list, message=None):
        self.errors = {"query": [str(p) for p in problems]}
        super().__init__(message)


def api_not_found(request, path=""):
    """Any other path under /api/: the error shape, not the app's HTML 404 page (and a
    hint when only the trailing slash is missing: a POST cannot be redirected to it)."""
    from django.http import JsonResponse
    from django.urls import Resolver404, resolve

    message = _("Not found.")
    if not request.path.endswith("/"):
        try:
            resolve(request.path + "/", urlconf=getattr(request, "urlconf", None))
        except Resolver404:
            pass
        else:
            message = _("Not found. API URLs end with a slash: %(path)s") % {"path": request.path + "/"}
    return JsonResponse(error_body("not_found", message), status=404)
