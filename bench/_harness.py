"""Shared bits of the benchmarks: Django set-up, timing, and the result table.

Benchmarks are not tests: they print medians and ratios against a baseline measured in
the same run, so that a slower or faster machine does not change the verdict.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("REDIS_CACHE_DB", "13")
os.environ.setdefault("REDIS_BROKER_DB", "14")


def setup():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate_schemas", interactive=False, verbosity=0)


def timed(fn, repeat: int, *, warmup: int = 1) -> list[float]:
    for i in range(warmup):
        fn(-1 - i)
    samples = []
    for i in range(repeat):
        started = time.perf_counter()
        fn(i)
        samples.append(time.perf_counter() - started)
    return samples


def median(samples) -> float:
    return statistics.median(samples)


def p95(samples) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def fmt_seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def table(title: str, rows: list[tuple], budgets: list[tuple[str, bool]]) -> bool:
    print(f"\n{title}")
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  " + "  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)))
    ok = True
    for text, passed in budgets:
        ok &= passed
        print(f"  [{'PASS' if passed else 'FAIL'}] {text}")
    return ok
