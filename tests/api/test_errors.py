"""The exception handler maps every kind of error a view can let through to the one
documented shape (tenant_apps/integrations/api/errors.py)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions

from config.errors import UserFacingError
from tenant_apps.integrations.api.errors import api_exception_handler
from tenant_apps.records.errors import RecordNotFound, RecordPermissionError, RecordValidationError


class _Quota(UserFacingError):
    code = "quota_exceeded"


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (Http404(), 404, "not_found"),
        (PermissionDenied(), 403, "permission_denied"),
        (RecordNotFound(), 404, "not_found"),
        (RecordPermissionError(), 403, "permission_denied"),
        (_Quota("Too many."), 400, "quota_exceeded"),
        (exceptions.MethodNotAllowed("PUT"), 405, "method_not_allowed"),
        (exceptions.UnsupportedMediaType("text/csv"), 415, "unsupported_media_type"),
        (exceptions.Throttled(wait=3), 429, "throttled"),
    ],
)
def test_each_error_gets_a_status_and_a_stable_code(exc, status, code):
    response = api_exception_handler(exc, {"request": None})
    assert response.status_code == status
    assert response.data["error"]["code"] == code
    assert response.data["error"]["message"]


def test_field_errors_keep_their_fields():
    response = api_exception_handler(RecordValidationError({"custom.tier": "Unknown."}), {"request": None})
    assert response.status_code == 400
    assert response.data == {"error": {"code": "validation_error", "message": "Some fields are not valid.",
                                       "fields": {"custom.tier": ["Unknown."]}}}
    nested = api_exception_handler(
        exceptions.ValidationError({"emails": [{"email": ["Bad."]}, {}], "non_field_errors": ["Whole."]}),
        {"request": None},
    )
    assert nested.data["error"]["fields"] == {"emails.0.email": ["Bad."], "non_field_errors": ["Whole."]}


def test_a_bug_is_left_to_djangos_500_handling():
    assert api_exception_handler(ZeroDivisionError(), {"request": None}) is None
