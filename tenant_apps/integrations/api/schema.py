"""OpenAPI pieces: the API-key security scheme and the error shape, documented on
every operation (a postprocessing hook, so no view can forget it)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .errors import ERROR_CODES

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {
                    "type": "string",
                    "description": "Stable; branch on this. The API's own codes: " + ", ".join(ERROR_CODES)
                    + "; a service's error may add its own (config.errors.UserFacingError.code).",
                    "example": "validation_error",
                },
                "message": {"type": "string", "description": "For people, in the caller's language."},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "description": "Field (or custom.<key>, query) -> messages, for validation errors.",
                },
            },
        }
    },
}
ERROR_RESPONSES = {
    "400": "Invalid input or query",
    "401": "No key, or a bad, revoked or expired one",
    "403": "Not allowed (role, read-only key)",
    "404": "Not found, or not visible to you",
    "405": "Method not allowed",
    "406": "Not acceptable",
    "409": "Conflict: not possible in the record's current state (e.g. a document that is no longer a draft)",
    "413": "Request too large (an upload over its limit)",
    "415": "Unsupported media type",
    "429": "Too many requests",
}


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOK: the Error component and its responses on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                responses.setdefault(status, {"description": description, "content": {"application/json": {"schema": ref}}})
    return result


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "tenant_apps.integrations.api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "tsk_<prefix>_<secret>",
            "description": "A workspace API key (Settings → Integrations), as `Authorization: Bearer <key>`.",
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "tenant_apps.integrations.api.authentication.SessionAuthentication"
    name = "Session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": "The app's own calls from a signed-in page (CSRF token required)."}
