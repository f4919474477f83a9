"""The REST API (Django REST framework) and its OpenAPI schema (drf-spectacular).
See docs/api.md for the contract (keys, errors, paging)."""

from .environment import env

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tenant_apps.integrations.api.authentication.ApiKeyAuthentication",
        "tenant_apps.integrations.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tenant_apps.integrations.api.permissions.IsWorkspaceMember"],
    "DEFAULT_PAGINATION_CLASS": "tenant_apps.integrations.api.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["tenant_apps.integrations.api.throttling.ApiKeyRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_key": env.str("API_KEY_RATE", default="600/minute")},
    "EXCEPTION_HANDLER": "tenant_apps.integrations.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tessera CRM API",
    "DESCRIPTION": (
        "The REST API of one Tessera workspace, served on the workspace's own host.\n\n"
        "**Authentication**: create a key under Settings → Integrations and send it as "
        "`Authorization: Bearer <key>`. A key acts as the member who created it, with that member's "
        "current role; read-only keys may only use GET.\n\n"
        "**Errors** always have the shape `{\"error\": {\"code\", \"message\", \"fields\"?}}`; "
        "`code` is stable, `message` is in the language of `Accept-Language` (else the member's).\n\n"
        "**Lists** are paged with an opaque `cursor` (follow `next`) and `size` (1-200)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "DealStatusEnum": "tenant_apps.deals.models.DealStatus",
        "TaskStatusEnum": "tenant_apps.tasks.models.Task.Status",
        "ActivityKindEnum": "tenant_apps.activities.models.ActivityKind",
        "ImportEntityEnum": "tenant_apps.imports.api_schema.IMPORT_ENTITIES",
        "DocumentKindEnum": "tenant_apps.sales.models.DocumentKind",
        "DocumentStatusEnum": "tenant_apps.sales.models.DocumentStatus",
        "DraftKindEnum": "tenant_apps.sales.api.serializers.DRAFT_KINDS",
        "PaymentKindEnum": "tenant_apps.sales.models.Payment.Kind",
        "TicketStatusEnum": "tenant_apps.tickets.models.Ticket.Status",
        "TicketAuthorKindEnum": "tenant_apps.tickets.models.AuthorKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tenant_apps.integrations.api.schema.add_error_responses",
    ],
}
