"""Provisioning a workspace by clone, by the spare pool and by migrations, and the cost
of resolving a request's host to its tenant.

Budget (issue 2): clone median <= 0.5 s and >= 10x faster than migrations.
Run with `make bench` (embedded PostgreSQL/Redis unless DATABASE_URL/REDIS_URL are set).
"""

import secrets
import sys

from _harness import fmt_seconds, median, p95, setup, table, timed

CLONES, MIGRATIONS, SPARES, REQUESTS = 9, 5, 9, 2000


def main() -> int:
    setup()
    from django.conf import settings
    from django.db import connection
    from django.test import RequestFactory

    from shared_apps.accounts.models import User
    from tenants import hosts
    from tenants.middleware import TenantRoutingMiddleware
    from tenants.models import Tenant
    from tenants.provisioning.pool import spare_pool_refill
    from tenants.services import tenant_delete, tenant_provision

    run = secrets.token_hex(3)
    owner = User.objects.create_user(f"bench-{run}@tessera.test", None)
    made = []

    def provision(method):
        def once(i):
            tenant = tenant_provision(slug=f"bench-{run}-{method[0]}{i + 10}", name="Bench", owner=owner, method=method)
            assert tenant.provisioned_by == method
            made.append(tenant)

        return once

    try:
        clone = timed(provision("clone"), CLONES)
        migrate = timed(provision("migrate"), MIGRATIONS)
        spare_pool_refill(size=SPARES + 1)
        pool = timed(provision("pool"), SPARES)

        # Host resolution: the routing middleware's work per request.
        tenant = made[0]
        host = f"{tenant.slug}.{settings.APP_DOMAIN}"
        factory = RequestFactory()
        middleware = TenantRoutingMiddleware(lambda request: None)

        def route(_i):
            middleware.process_request(factory.get("/", HTTP_HOST=host))

        def uncached(_i):
            hosts._local.clear()
            hosts.caches["shared"].delete(f"host:{host}")
            route(_i)

        cold = timed(uncached, REQUESTS // 4, warmup=20)
        settings.TENANT_HOST_LOCAL_CACHE_SECONDS = 0
        redis_only = timed(route, REQUESTS, warmup=20)
        settings.TENANT_HOST_LOCAL_CACHE_SECONDS = 5
        warm = timed(route, REQUESTS, warmup=20)
        connection.set_schema_to_public()
    finally:
        connection.set_schema_to_public()
        for tenant in made:
            tenant_delete(tenant=Tenant.objects.get(pk=tenant.pk), backup=False)
        owner.delete()

    ratio = median(migrate) / median(clone)
    rows = [
        ("way", "n", "median", "p95", "vs migrations"),
        ("migrations (baseline)", len(migrate), fmt_seconds(median(migrate)), fmt_seconds(p95(migrate)), "1.0x"),
        ("clone of template", len(clone), fmt_seconds(median(clone)), fmt_seconds(p95(clone)), f"{ratio:.1f}x faster"),
        ("claim a spare schema", len(pool), fmt_seconds(median(pool)), fmt_seconds(p95(pool)),
         f"{median(migrate) / median(pool):.1f}x faster"),
    ]
    ok = table(
        "Provisioning a workspace",
        rows,
        [
            (f"clone median {fmt_seconds(median(clone))} <= 500 ms", median(clone) <= 0.5),
            (f"clone {ratio:.1f}x faster than migrations (>= 10x)", ratio >= 10),
        ],
    )
    rows = [
        ("host lookup", "n", "median", "p95", "vs uncached"),
        ("uncached: database (baseline)", len(cold), fmt_seconds(median(cold)), fmt_seconds(p95(cold)), "1.0x"),
        ("cached in Redis", len(redis_only), fmt_seconds(median(redis_only)), fmt_seconds(p95(redis_only)),
         f"{median(cold) / median(redis_only):.1f}x faster"),
        ("cached in process + Redis", len(warm), fmt_seconds(median(warm)), fmt_seconds(p95(warm)),
         f"{median(cold) / median(warm):.1f}x faster"),
    ]
    ok &= table("Tenant resolution per request (routing middleware)", rows, [])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
