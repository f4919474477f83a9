"""Which workspace and surface a host name belongs to, and the URLs of a workspace.

Resolution is cached in two levels: a few seconds in process memory, then Redis (the
"shared" cache, invalidated by the services that change tenants or domains), then the
Domain table. Unknown hosts are cached briefly too, so random Host headers cannot turn
into one query each.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

from .models import Domain, Tenant

_MISS = "-"
_local: dict[str, tuple[float, object]] = {}
_LOCAL_MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class ResolvedHost:
    tenant: Tenant
    surface: str


def _cache_key(hostname: str) -> str:
    return f"host:{hostname}"


def host_resolve(hostname: str) -> ResolvedHost | None:
    """The tenant and surface for `hostname` (lower-case, no port), or None."""
    ttl_local = settings.TENANT_HOST_LOCAL_CACHE_SECONDS
    now = time.monotonic()
    if ttl_local:
        hit = _local.get(hostname)
        if hit and hit[0] > now:
            return None if hit[1] is _MISS else hit[1]
    shared = caches["shared"]
    value = shared.get(_cache_key(hostname))
    if value is None:
        value = _host_lookup(hostname)
        shared.set(_cache_key(hostname), value, settings.TENANT_HOST_CACHE_SECONDS if value != _MISS else 30)
    if ttl_local:
        if len(_local) >= _LOCAL_MAX_ENTRIES:
            _local.clear()
        _local[hostname] = (now + ttl_local, value)
    return None if value == _MISS else value


def _host_lookup(hostname: str):
    domain = (
        Domain.objects.select_related("tenant")
        .filter(domain=hostname, is_verified=True)
        .only("surface", "tenant")
        .first()
    )
    if domain is None:
        return _MISS
    return ResolvedHost(tenant=domain.tenant, surface=domain.surface)


def host_cache_invalidate(*, tenant: Tenant | None = None, hostnames=()) -> None:
    """Forget cached resolutions of `tenant`'s domains (and `hostnames`), after commit."""
    names = set(hostnames)
    if tenant is not None and tenant.pk:
        names.update(Domain.objects.filter(tenant=tenant).values_list("domain", flat=True))

    def forget():
        caches["shared"].delete_many([_cache_key(name) for name in names])
        for name in names:
            _local.pop(name, None)

    forget()
    transaction.on_commit(forget)


def _port_suffix() -> str:
    return f":{settings.URL_PORT}" if settings.URL_PORT else ""


def public_url(path: str = "/") -> str:
    return f"{settings.URL_SCHEME}://{settings.APP_DOMAIN}{_port_suffix()}{path}"


def platform_hostname(slug: str, surface: str) -> str:
    base = settings.PORTAL_DOMAIN if surface == Domain.Surface.PORTAL else settings.APP_DOMAIN
    return f"{slug}.{base}"


def tenant_url(tenant: Tenant, path: str = "/", *, surface: str = Domain.Surface.APP) -> str:
    """Absolute URL of `path` on the tenant's primary host for `surface`."""
    primary = (
        Domain.objects.filter(tenant=tenant, surface=surface, is_primary=True, is_verified=True)
        .values_list("domain", flat=True)
        .first()
    )
    host = primary or platform_hostname(tenant.slug, surface)
    # Custom domains are served on the standard port.
    suffix = _port_suffix() if host.endswith(settings.APP_DOMAIN) else ""
    return f"{settings.URL_SCHEME}://{host}{suffix}{path}"
