from config.celery import app

from .provisioning.pool import spare_pool_refill


@app.task
def spare_pool_refill_task() -> None:
    spare_pool_refill()


@app.task
def scheduled_jobs_dispatch_task() -> None:
    from .scheduling import scheduled_jobs_dispatch

    scheduled_jobs_dispatch()


@app.task
def domain_recheck_task() -> dict:
    from .services.domains import domain_recheck_verified

    return domain_recheck_verified()


@app.task
def domain_prune_task() -> int:
    from .services.domains import domain_prune_unverified

    return domain_prune_unverified()
