"""Celery: Redis broker, tenant-aware tasks (tenant-schemas-celery), beat schedule."""

from datetime import timedelta
from urllib.parse import urlsplit

from .cache import REDIS_URL, redis_url_with_db
from .environment import env

REDIS_BROKER_DB = env.int("REDIS_BROKER_DB", default=2)


def broker_url(redis_url: str, db: int) -> str:
    """Celery (kombu) spells a Redis unix socket redis+socket:///path?virtual_host=N."""
    parts = urlsplit(redis_url)
    if parts.scheme == "unix":
        return f"redis+socket://{parts.path}?virtual_host={db}"
    return redis_url_with_db(redis_url, db)


CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=broker_url(REDIS_URL, REDIS_BROKER_DB))
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must fail fast when Redis is down: the outbox sweep sends what was not queued.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "max_retries": 1}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "shared_apps.outbox.tasks.outbox_sweep_task", "schedule": timedelta(minutes=1)},
    "spare-pool-refill": {
        "task": "tenants.tasks.spare_pool_refill_task",
        "schedule": timedelta(minutes=5),
    },
    "scheduled-jobs": {
        "task": "tenants.tasks.scheduled_jobs_dispatch_task",
        "schedule": timedelta(minutes=1),
    },
    # Books each workspace's daily sales job (expiry, overdue, reminders) if it has none.
    "sales-daily-schedule": {
        "task": "tenant_apps.sales.tasks.sales_daily_schedule_task",
        "schedule": timedelta(hours=1),
    },
    "billing-sweep": {
        "task": "billing.tasks.billing_sweep_task",
        "schedule": timedelta(minutes=15),
    },
    # Custom domains never verified free their name after DOMAIN_UNVERIFIED_DAYS.
    "domain-prune": {
        "task": "tenants.tasks.domain_prune_task",
        "schedule": timedelta(hours=6),
    },
    # Verified custom domains must keep their TXT proof (released after DOMAIN_PROOF_GRACE_DAYS).
    "domain-recheck": {
        "task": "tenants.tasks.domain_recheck_task",
        "schedule": timedelta(hours=24),
    },
    "accounts-cleanup": {
        "task": "shared_apps.accounts.tasks.accounts_cleanup_task",
        "schedule": timedelta(hours=1),
    },
}
