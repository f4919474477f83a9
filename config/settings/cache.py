"""Caches on Redis. Every key of the default cache is prefixed with the current schema
(django-tenants' key function), so no entry is ever shared between tenants; the
"shared" cache is for platform-level data such as host resolution and rate limits."""

from urllib.parse import urlsplit, urlunsplit

from .environment import env

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")


def redis_url_with_db(url: str, db: int) -> str:
    """The same Redis server, another logical database."""
    parts = urlsplit(url)
    if parts.scheme in ("unix", "redis+socket"):
        query = "&".join(q for q in parts.query.split("&") if q and not q.startswith("db="))
        query = f"{query}&db={db}" if query else f"db={db}"
        # (urlunsplit would drop the "//" of a URL without a host)
        return f"{parts.scheme}://{parts.netloc}{parts.path}?{query}"
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))


REDIS_CACHE_DB = env.int("REDIS_CACHE_DB", default=1)
_cache_options = {
    # A Redis outage degrades caching and rate limiting; it must not take pages down.
    "IGNORE_EXCEPTIONS": True,
    "SOCKET_CONNECT_TIMEOUT": 1,
    "SOCKET_TIMEOUT": 1,
}
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": redis_url_with_db(REDIS_URL, REDIS_CACHE_DB),
        "KEY_FUNCTION": "tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "tenants.cache.reverse_key",
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="tessera"),
        "OPTIONS": _cache_options,
    },
    "shared": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": redis_url_with_db(REDIS_URL, REDIS_CACHE_DB),
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="tessera") + ":shared",
        "OPTIONS": _cache_options,
    },
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Seconds a process keeps a resolved host in memory before asking Redis again.
TENANT_HOST_LOCAL_CACHE_SECONDS = env.int("TENANT_HOST_LOCAL_CACHE_SECONDS", default=5)
TENANT_HOST_CACHE_SECONDS = 300
