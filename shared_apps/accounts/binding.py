"""What a session is bound to: the schema and surface it was created on, and whether it
is an impersonation. Set at login, checked on every request (SessionBindingMiddleware)."""

SCHEMA_KEY = "tessera.schema"
SURFACE_KEY = "tessera.surface"
IMPERSONATOR_ID_KEY = "tessera.impersonator_id"
IMPERSONATOR_EMAIL_KEY = "tessera.impersonator_email"
IMPERSONATION_UNTIL_KEY = "tessera.impersonation_until"
LAST_SEEN_KEY = "tessera.last_seen"


def session_bind(request, *, schema_name: str) -> None:
    request.session[SCHEMA_KEY] = schema_name
    request.session[SURFACE_KEY] = getattr(request, "surface", "public")


def session_is_bound_here(request, *, schema_name: str) -> bool:
    return (
        request.session.get(SCHEMA_KEY) == schema_name
        and request.session.get(SURFACE_KEY) == getattr(request, "surface", "public")
    )


def is_impersonating(request) -> bool:
    return bool(getattr(request, "session", None) and request.session.get(IMPERSONATOR_ID_KEY))
