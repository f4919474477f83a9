"""CRM pages on a large workspace (issue 3, performance budgets).

Seeds the large workspace once (`manage.py seed_demo --size large`: 100k contacts, 20k
companies, 50k deals, 200k activities; reused when it exists), then measures in process,
with Django's test Client on the workspace's host and signed in as a sales member:

- the contacts list, 50 rows, one filter and one sort, as HTML and through the API;
- search as you type (several prefixes);
- the deals board of the default pipeline (thousands of open deals).

Each is also measured on the tiny demo workspace (acme, ~200 contacts) in the same run:
that is the baseline of the "vs tiny" ratio, so a slower machine does not change it.
Budgets: lists and search p95 <= 50 ms, board p95 <= 150 ms. BENCH_ONLY=search (a word of
the labels) measures only those checks. An endpoint that does not
answer 200 is reported as "not available" and fails its budget.
"""

import sys

import logging
import os

from _harness import fmt_seconds, median, p95, setup, table, timed

REPEAT = 40
LARGE = "bigco"
TINY = "acme"
MEMBER = "sales@acme.example"
PREFIXES = ["a", "jo", "smi", "nor", "ива", "гео", "sof", "hor", "wil", "пет"]


def main() -> int:
    setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from shared_apps.accounts.models import User
    from tenants.models import Tenant
    from tests.helpers import sign_in

    logging.getLogger("django.request").setLevel(logging.ERROR)  # a missing endpoint is reported below
    call_command("seed_demo", size="large", tenant=LARGE)
    connection.set_schema_to_public()
    user = User.objects.get(email=MEMBER)
    clients = {}
    for slug in (LARGE, TINY):
        tenant = Tenant.objects.get(slug=slug)
        client = Client(HTTP_HOST=f"{slug}.{settings.APP_DOMAIN}")
        sign_in(client, user, tenant=tenant)
        clients[slug] = client

    def measure(slug: str, paths: list[str], repeat: int = REPEAT):
        """Samples of GET over `paths` in turn, the most queries one of them makes, and the
        first status that was not 200 (None when all were)."""
        client = clients[slug]
        failed = None

        def once(i):
            nonlocal failed
            response = client.get(paths[i % len(paths)])
            if response.status_code != 200 and failed is None:
                failed = response.status_code

        samples = timed(once, repeat, warmup=2)
        counts = []
        for path in paths:  # the most any path makes ("a" is refused before searching)
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            counts.append(len(queries))
        connection.set_schema_to_public()
        return samples, max(counts), failed

    checks = [
        ("contacts list, HTML", ["/contacts/?lifecycle_stage=lead&sort=-created_at"], 0.050),
        # The API reads the lists' own query grammar (tenant_apps/records/listing.py): sort=, not ordering=.
        ("contacts list, API", ["/api/v1/contacts/?lifecycle_stage=lead&sort=-created_at"], 0.050),
        ("search as you type", [f"/search/suggest/?q={p}" for p in PREFIXES], 0.050),
        ("deals board, default pipeline", ["/deals/board/"], 0.150),
    ]
    # BENCH_ONLY=search measures only the checks whose label contains that word.
    only = os.environ.get("BENCH_ONLY", "").strip().lower()
    if only:
        checks = [check for check in checks if only in check[0].lower()]
    rows = [("request", "n", "median", "p95", "queries", "tiny p95 (baseline)", "vs tiny")]
    budgets = []
    for label, paths, budget in checks:
        samples, queries, failed = measure(LARGE, paths)
        tiny, tiny_queries, _tiny_failed = measure(TINY, paths)
        if failed is not None:
            rows.append((label, len(samples), "-", "-", "-", "-", f"not available (HTTP {failed})"))
            budgets.append((f"{label}: not available (HTTP {failed}), budget p95 <= {fmt_seconds(budget)}", False))
            continue
        rows.append((label, len(samples), fmt_seconds(median(samples)), fmt_seconds(p95(samples)),
                     f"{queries} (tiny {tiny_queries})", fmt_seconds(p95(tiny)), f"{p95(samples) / p95(tiny):.1f}x"))
        budgets.append((f"{label}: p95 {fmt_seconds(p95(samples))} <= {fmt_seconds(budget)}", p95(samples) <= budget))
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    ok = table(f"CRM on a large workspace ({LARGE}) against the tiny demo workspace ({TINY}); "
               f"load average {load} on {os.cpu_count()} CPUs", rows, budgets)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
