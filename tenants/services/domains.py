"""Custom domains of a workspace: add, verify by a DNS TXT record, make primary, remove.

A custom domain routes (tenants.hosts.host_resolve) only once domain_verify has found
`tessera-verification=<token>` in a TXT record at `_tessera-challenge.<domain>`. Every
change is written with its security-log entry in one transaction and drops the host's
cached resolution, so a verified domain routes on the next request and a removed one
stops at once. Domains are unique across the platform (the Domain table's unique
column), so two workspaces can never claim the same host.
"""

import ipaddress
import logging
import secrets

import idna
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.entitlements import entitlement_require, plan_of
from shared_apps.audit.models import EventKind
from shared_apps.audit.services import security_event_record

from ..dns import FAILURE, NO_RECORD, NXDOMAIN, WRONG_VALUE, TxtLookupError, txt_resolver
from ..errors import (
    DomainError,
    DomainInvalid,
    DomainLimitReached,
    DomainNotVerified,
    DomainPlatformManaged,
    DomainReserved,
    DomainTaken,
)
from ..hosts import host_cache_invalidate, platform_hostname
from ..models import Domain, Tenant

logger = logging.getLogger(__name__)

CHALLENGE_LABEL = "_tessera-challenge"
CHALLENGE_VALUE_PREFIX = "tessera-verification="
MAX_HOSTNAME_LENGTH = 253


def domain_challenge_name(hostname: str) -> str:
    """The DNS name the TXT record goes at."""
    return f"{CHALLENGE_LABEL}.{hostname}"


def domain_challenge_value(token: str) -> str:
    """The TXT record's value."""
    return f"{CHALLENGE_VALUE_PREFIX}{token}"


def domain_normalise(value: str) -> str:
    """`value` as a lower-case ASCII host name (IDNA → punycode), or DomainInvalid saying
    what is wrong with it."""
    raw = (value or "").strip()
    if not raw:
        raise DomainInvalid(_("Enter a domain name, such as crm.example.com."))
    if "://" in raw or raw.lower().startswith(("http:", "https:")):
        raise DomainInvalid(_("Enter only the domain name, without http:// or https://."))
    if any(char in raw for char in "/?#"):
        raise DomainInvalid(_("Enter only the domain name, without a path."))
    if "@" in raw:
        raise DomainInvalid(_("Enter a domain name, not an e-mail address."))
    try:
        ipaddress.ip_address(raw.strip("[]"))
    except ValueError:
        pass
    else:
        raise DomainInvalid(_("An IP address cannot be used; enter a domain name."))
    if ":" in raw:
        raise DomainInvalid(_("Enter the domain name without a port."))
    if "*" in raw:
        raise DomainInvalid(_("Wildcard domains are not supported; add each host name on its own."))
    raw = raw.rstrip(".")
    if len(raw) > MAX_HOSTNAME_LENGTH:
        raise DomainInvalid(_("This domain name is too long."))
    try:
        host = idna.encode(raw, uts46=True, std3_rules=True).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError):
        raise DomainInvalid(
            _("“%(value)s” is not a valid domain name: use letters, digits and hyphens between the dots.")
            % {"value": raw[:80]}
        ) from None
    labels = host.split(".")
    if len(labels) < 2 or not all(labels):
        raise DomainInvalid(_("Enter a full domain name with at least one dot, such as crm.example.com."))
    if len(host) > MAX_HOSTNAME_LENGTH:
        raise DomainInvalid(_("This domain name is too long."))
    if labels[-1].isdigit():
        raise DomainInvalid(_("An IP address cannot be used; enter a domain name."))
    return host


def _under(host: str, parent: str) -> bool:
    return host == parent or host.endswith("." + parent)


def _refuse_reserved(host: str) -> None:
    platform = [settings.APP_DOMAIN, settings.PORTAL_DOMAIN, *settings.PUBLIC_HOSTS]
    if any(_under(host, parent) for parent in platform if parent):
        raise DomainReserved(
            _("Addresses under %(domain)s belong to the platform; your workspace already has one.")
            % {"domain": settings.APP_DOMAIN}
        )
    if any(_under(host, reserved.lower().strip(".")) for reserved in settings.DOMAIN_RESERVED_HOSTS if reserved):
        raise DomainReserved()


def _platform_hostnames(tenant) -> list[str]:
    return [platform_hostname(tenant.slug, surface) for surface in Domain.Surface.values]


def domain_add(*, tenant, hostname: str, surface: str, actor, request=None) -> Domain:
    """Claim `hostname` for `tenant`'s app or portal, unverified, with a fresh token.
    Refused (nothing written) for an invalid or platform host, a host any workspace has,
    a plan without custom domains, or a workspace at its limit."""
    host = domain_normalise(hostname)
    if surface not in Domain.Surface.values:
        raise DomainInvalid(_("Choose where the domain leads: the staff app or the customer portal."))
    _refuse_reserved(host)
    with transaction.atomic():
        # One addition at a time per workspace, so the limit holds under concurrency.
        tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
        plan = plan_of(tenant)
        entitlement_require(tenant, "custom_domains", plan=plan)
        if surface == Domain.Surface.PORTAL:
            entitlement_require(tenant, "portal", plan=plan)
        if Domain.objects.filter(domain=host).exists():
            raise DomainTaken()
        limit = settings.DOMAIN_LIMIT_PER_WORKSPACE
        used = Domain.objects.filter(tenant=tenant).exclude(domain__in=_platform_hostnames(tenant)).count()
        if used >= limit:
            raise DomainLimitReached(
                _("A workspace can have at most %(limit)d custom domains. Remove one to add another.")
                % {"limit": limit}
            )
        try:
            with transaction.atomic():
                domain = Domain.objects.create(
                    tenant=tenant, domain=host, surface=surface, is_primary=False, is_verified=False,
                    verification_token=secrets.token_urlsafe(24),
                )
        except IntegrityError:
            # Another workspace claimed it between our check and our insert.
            raise DomainTaken() from None
        security_event_record(
            kind=EventKind.DOMAIN_ADDED, request=request, actor=actor, tenant=tenant, domain=host, surface=surface
        )
    return domain


def _check(domain: Domain, lookup) -> str:
    """'' when the challenge record is there, else the reason (tenants.dns codes)."""
    expected = domain_challenge_value(domain.verification_token)
    try:
        values = [value.strip().strip('"').strip() for value in lookup(domain_challenge_name(domain.domain))]
    except TxtLookupError as exc:
        return exc.reason
    except Exception:  # a custom resolver's own failure is a failed check, not a 500
        logger.exception("TXT look-up of %s failed", domain.domain)
        return FAILURE
    if expected in values:
        return ""
    if any(value.startswith(CHALLENGE_VALUE_PREFIX) for value in values):
        return WRONG_VALUE
    return NO_RECORD


def domain_verify(*, domain: Domain, actor=None, request=None, resolver=None) -> Domain:
    """Look up the domain's TXT challenge now and record the outcome (last_checked_at,
    last_error). On success the domain is verified and routes from the next request.
    The DNS question is asked outside the transaction: no lock waits on the network.
    `resolver` replaces settings.DOMAIN_TXT_RESOLVER for this call."""
    if domain.is_platform:
        raise DomainPlatformManaged()
    if domain.is_verified:
        return domain
    entitlement_require(domain.tenant, "custom_domains")
    error = _check(domain, resolver or txt_resolver())
    now = timezone.now()
    with transaction.atomic():
        locked = Domain.objects.select_for_update().select_related("tenant").filter(pk=domain.pk).first()
        if locked is None or locked.verification_token != domain.verification_token:
            raise DomainError(_("This domain has been removed in the meantime."), code="domain_gone")
        locked.last_checked_at = now
        locked.last_error = error
        fields = ["last_checked_at", "last_error", "updated_at"]
        if not error and not locked.is_verified:
            locked.is_verified = True
            locked.verified_at = now
            fields += ["is_verified", "verified_at"]
            security_event_record(
                kind=EventKind.DOMAIN_VERIFIED, request=request, actor=actor, tenant=locked.tenant,
                domain=locked.domain, surface=locked.surface,
            )
            # An unknown-host answer may be cached for this name from before.
            host_cache_invalidate(hostnames=[locked.domain])
        locked.save(update_fields=fields)
    return locked


def domain_make_primary(*, domain: Domain, actor, request=None) -> Domain:
    """Make a verified domain the one the workspace's links use for its surface (e-mails,
    redirects, tenants.hosts.tenant_url). The platform address can be made primary again."""
    if not domain.is_verified:
        raise DomainNotVerified()
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=domain.tenant_id)
        if not domain.is_platform:
            entitlement_require(tenant, "custom_domains")
        locked = Domain.objects.select_for_update().filter(pk=domain.pk, tenant=tenant).first()
        if locked is None:
            raise DomainError(_("This domain has been removed in the meantime."), code="domain_gone")
        if locked.is_primary:
            return locked
        Domain.objects.filter(tenant=tenant, surface=locked.surface, is_primary=True).update(
            is_primary=False, updated_at=timezone.now()
        )
        locked.is_primary = True
        locked.save(update_fields=["is_primary", "updated_at"])
        security_event_record(
            kind=EventKind.DOMAIN_PRIMARY, request=request, actor=actor, tenant=tenant,
            domain=locked.domain, surface=locked.surface,
        )
    return locked


def domain_remove(*, domain: Domain, actor, request=None, reason: str = "") -> None:
    """Remove a custom domain: it stops routing at once. If it was primary, the
    platform address becomes primary again. Allowed on every plan. `reason` goes into
    the security log (the re-check's "proof_lost")."""
    if domain.is_platform:
        raise DomainPlatformManaged()
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(pk=domain.tenant_id)
        locked = Domain.objects.select_for_update().filter(pk=domain.pk, tenant=tenant).first()
        if locked is None:
            return
        host, surface, was_primary = locked.domain, locked.surface, locked.is_primary
        locked.delete()
        if was_primary:
            Domain.objects.filter(tenant=tenant, domain=platform_hostname(tenant.slug, surface)).update(
                is_primary=True, updated_at=timezone.now()
            )
        security_event_record(
            kind=EventKind.DOMAIN_REMOVED, request=request, actor=actor, tenant=tenant, domain=host, surface=surface,
            **({"reason": reason} if reason else {}),
        )
        host_cache_invalidate(hostnames=[host])


def domain_prune_unverified(*, older_than_days: int | None = None) -> int:
    """Remove custom domains left unverified longer than DOMAIN_UNVERIFIED_DAYS, so a
    name claimed and never proven is free again for whoever owns it. Returns how many."""
    days = settings.DOMAIN_UNVERIFIED_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timezone.timedelta(days=days)
    removed = 0
    stale = Domain.objects.filter(is_verified=False, created_at__lt=cutoff).select_related("tenant").order_by("pk")
    for domain in stale:
        with transaction.atomic():
            locked = Domain.objects.select_for_update().filter(pk=domain.pk, is_verified=False).first()
            if locked is None:
                continue
            locked.delete()
            security_event_record(
                kind=EventKind.DOMAIN_REMOVED, tenant=domain.tenant, domain=domain.domain, surface=domain.surface,
                reason="unverified",
            )
            removed += 1
    return removed


# What the re-check counts as the proof being gone. A timeout or a failing name server is
# our side's or the network's trouble: it neither starts nor stops the count.
PROOF_GONE = (NO_RECORD, WRONG_VALUE, NXDOMAIN)


def domain_recheck_verified(*, resolver=None, now=None) -> dict:
    """Check the TXT proof of every verified custom domain again (daily task). A domain
    whose proof is gone is marked (proof_missing_since) and its workspace's owners and
    admins are told; when it is back the mark goes. Gone for DOMAIN_PROOF_GRACE_DAYS, the
    domain is released (removed), so that a name that changed hands can be claimed by
    its new owner. Returns counts: checked, missing, released."""
    lookup = resolver or txt_resolver()
    now = now or timezone.now()
    grace = timezone.timedelta(days=settings.DOMAIN_PROOF_GRACE_DAYS)
    counts = {"checked": 0, "missing": 0, "released": 0}
    verified = Domain.objects.filter(is_verified=True).exclude(verification_token="").select_related("tenant")
    for domain in verified.order_by("pk"):
        if domain.is_platform:
            continue
        error = _check(domain, lookup)  # outside any transaction: no lock waits on DNS
        counts["checked"] += 1
        with transaction.atomic():
            locked = Domain.objects.select_for_update().select_related("tenant").filter(
                pk=domain.pk, verification_token=domain.verification_token, is_verified=True).first()
            if locked is None:
                continue  # removed or changed meanwhile
            locked.last_checked_at, locked.last_error = now, error
            first_miss = False
            if not error:
                locked.proof_missing_since = None
            elif error in PROOF_GONE:
                first_miss = locked.proof_missing_since is None
                locked.proof_missing_since = locked.proof_missing_since or now
                counts["missing"] += 1
            locked.save(update_fields=["last_checked_at", "last_error", "proof_missing_since", "updated_at"])
        # Released only on a definite answer: a timeout on the last day may be our trouble.
        if error in PROOF_GONE and now - locked.proof_missing_since >= grace:
            domain_remove(domain=locked, actor=None, reason="proof_lost")
            counts["released"] += 1
            _domain_admins_notify(locked, released=True, grace=grace)
        elif first_miss:
            _domain_admins_notify(locked, released=False, grace=grace)
    return counts


def _domain_admins_notify(domain: Domain, *, released: bool, grace) -> None:
    """An in-app notification, in each reader's language, to the workspace's owners and admins."""
    from django.urls import reverse
    from django.utils.formats import date_format
    from django_tenants.utils import tenant_context

    from shared_apps.accounts.selectors import workspace_admins
    from tenant_apps.notifications.services import notifications_in_their_language

    def text(_user):
        if released:
            return (_("%(domain)s no longer leads to your workspace") % {"domain": domain.domain},
                    _("Its DNS TXT record proving it is yours was missing for %(days)s days, so the domain was "
                      "released. To use it again, add it again and verify it.") % {"days": grace.days})
        return (_("The DNS record proving %(domain)s is yours is gone") % {"domain": domain.domain},
                _("Restore the TXT record shown under Settings → Domains by %(date)s, or the domain will stop "
                  "leading to your workspace.") % {
                    "date": date_format(timezone.localtime(domain.proof_missing_since + grace), "DATE_FORMAT")})

    users = workspace_admins(tenant=domain.tenant)
    with tenant_context(domain.tenant):
        notifications_in_their_language(users=users, kind="domain_proof", text=text,
                                        url=reverse("settings_domains", urlconf="config.urls_app"))
