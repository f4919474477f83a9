"""tenant_provision: a new workspace, ready to use, in one call."""

import logging
import time

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from billing.selectors import plan_default

from ..errors import SlugInvalid, SlugTaken, TemplateMissing
from ..hosts import host_cache_invalidate, platform_hostname
from ..models import Domain, Tenant
from ..postgres import quote_ident, schema_exists
from ..provisioning.cloning import schema_clone
from ..provisioning.hooks import provisioning_hooks_run
from ..provisioning.pool import spare_claim
from ..provisioning.template import template_fingerprint
from ..queueing import task_enqueue_on_commit
from ..slugs import normalise_slug, schema_name_for_slug, validate_slug

logger = logging.getLogger(__name__)

METHODS = ("pool", "clone", "migrate")


def tenant_slug_check(slug: str) -> str:
    """Normalise and validate `slug` for a new workspace; raise SlugInvalid or SlugTaken."""
    slug = normalise_slug(slug)
    try:
        validate_slug(slug)
    except ValidationError as exc:
        raise SlugInvalid(exc.messages[0], code=f"slug_{exc.code}") from exc
    if Tenant.objects.filter(slug=slug).exists() or schema_exists(schema_name_for_slug(slug)):
        raise SlugTaken()
    return slug


def tenant_provision(
    *,
    slug: str,
    name: str,
    owner,
    plan=None,
    status: str = Tenant.Status.ACTIVE,
    method: str | None = None,
) -> Tenant:
    """Create a ready workspace: schema, app and portal domains, the owner's membership
    and every app's default data. Without a `plan` it starts a card-less trial of the
    trial plan (billing). Claims a spare schema, else clones the template, else
    runs migrations; `method` forces one way (benchmarks and tests). Nothing is left
    behind on failure. The way taken is on `tenant.provisioned_by`."""
    if method is not None and method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")
    slug = tenant_slug_check(slug)
    trial = plan is None
    plan = plan or plan_default()
    schema = schema_name_for_slug(slug)
    started = time.perf_counter()

    use_template = method in (None, "pool", "clone") and template_fingerprint() is not None
    if method in ("pool", "clone") and not use_template:
        raise TemplateMissing()
    if use_template:
        tenant = _provision_from_template(
            slug=slug, name=name, owner=owner, plan=plan, status=status, schema=schema, pool=method != "clone", trial=trial
        )
    else:
        tenant = _provision_by_migrations(
            slug=slug, name=name, owner=owner, plan=plan, status=status, schema=schema, trial=trial
        )
    logger.info("Provisioned %s by %s in %.3fs", slug, tenant.provisioned_by, time.perf_counter() - started)
    return tenant


def _provision_from_template(*, slug, name, owner, plan, status, schema, pool, trial) -> Tenant:
    from ..tasks import spare_pool_refill_task

    try:
        with transaction.atomic():
            # Two signups racing for one slug: the second waits here, then fails cleanly.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"tenant-slug:{slug}"])
            if Tenant.objects.filter(slug=slug).exists() or schema_exists(schema):
                raise SlugTaken()
            claimed = pool and spare_claim(target=schema)
            if not claimed:
                schema_clone(schema)
            tenant = _create_rows(slug=slug, name=name, owner=owner, plan=plan, status=status, schema=schema, ready=True, trial=trial)
            provisioning_hooks_run(tenant=tenant, owner=owner)
            if claimed:
                task_enqueue_on_commit(spare_pool_refill_task, in_schema="public")
    except IntegrityError as exc:
        raise SlugTaken() from exc
    tenant.provisioned_by = "pool" if claimed else "clone"
    return tenant


def _provision_by_migrations(*, slug, name, owner, plan, status, schema, trial) -> Tenant:
    if connection.in_atomic_block:
        # Inside the caller's transaction (signup, `tenant create`): one unit that a
        # failure rolls back whole, schema included (DDL is transactional).
        try:
            with transaction.atomic():
                tenant = _create_rows(slug=slug, name=name, owner=owner, plan=plan, status=status, schema=schema, ready=True, trial=trial)
                with connection.cursor() as cursor:
                    cursor.execute(f"CREATE SCHEMA {quote_ident(schema)}")
                call_command("migrate_schemas", schema_name=schema, tenant=True, interactive=False, verbosity=0)
                provisioning_hooks_run(tenant=tenant, owner=owner)
        except IntegrityError as exc:
            raise SlugTaken() from exc
        finally:
            connection.set_schema_to_public()
        tenant.provisioned_by = "migrate"
        return tenant
    # On its own, the slow way commits the tenant first as not ready (routed to a "being
    # prepared" page), so that a crash mid-way leaves a visible row, and undoes it on error.
    try:
        with transaction.atomic():
            tenant = _create_rows(slug=slug, name=name, owner=owner, plan=plan, status=status, schema=schema, ready=False, trial=trial)
    except IntegrityError as exc:
        raise SlugTaken() from exc
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA {quote_ident(schema)}")
        call_command("migrate_schemas", schema_name=schema, tenant=True, interactive=False, verbosity=0)
        connection.set_schema_to_public()
        with transaction.atomic():
            provisioning_hooks_run(tenant=tenant, owner=owner)
            Tenant.objects.filter(pk=tenant.pk).update(is_ready=True)
    except Exception:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {quote_ident(schema)} CASCADE")
        tenant.delete()
        raise
    tenant.is_ready = True
    host_cache_invalidate(tenant=tenant)
    tenant.provisioned_by = "migrate"
    return tenant


def _create_rows(*, slug, name, owner, plan, status, schema, ready, trial) -> Tenant:
    from billing.services import billing_account_open
    from shared_apps.accounts.models import Membership, Role

    tenant = Tenant(schema_name=schema, slug=slug, name=name.strip(), plan=plan, status=status, is_ready=ready)
    tenant.save()
    for surface in (Domain.Surface.APP, Domain.Surface.PORTAL):
        Domain.objects.create(
            tenant=tenant,
            domain=platform_hostname(slug, surface),
            surface=surface,
            is_primary=True,
            is_verified=True,
        )
    if owner is not None:
        Membership.objects.create(user=owner, tenant=tenant, role=Role.OWNER)
    billing_account_open(tenant=tenant, trial=trial)
    host_cache_invalidate(tenant=tenant)
    return tenant
