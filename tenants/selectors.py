"""Reads of workspaces' domains for the settings page, the API and the console."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet

from .hosts import platform_hostname
from .models import Domain
from .services.domains import domain_challenge_name, domain_challenge_value


@dataclass(frozen=True)
class DomainInstructions:
    """The DNS records a custom domain needs: the TXT challenge proves it is the
    workspace's; the CNAME sends its traffic to the platform."""

    txt_name: str
    txt_value: str
    cname_name: str
    cname_target: str


def domain_list(*, tenant) -> list[Domain]:
    """The workspace's domains: its platform addresses first, then custom ones by name."""
    domains = list(Domain.objects.filter(tenant=tenant).select_related("tenant").order_by("surface", "domain"))
    return sorted(domains, key=lambda d: (not d.is_platform, d.surface, d.domain))


def domain_get(*, tenant, pk) -> Domain | None:
    """One of the workspace's domains, or None (another workspace's id is None too)."""
    return Domain.objects.select_related("tenant").filter(tenant=tenant, pk=pk).first()


def domain_instructions(domain: Domain) -> DomainInstructions:
    target = settings.DOMAIN_CNAME_TARGET or platform_hostname(domain.tenant.slug, domain.surface)
    return DomainInstructions(
        txt_name=domain_challenge_name(domain.domain),
        txt_value=domain_challenge_value(domain.verification_token),
        cname_name=domain.domain,
        cname_target=target,
    )


def custom_domain_search(*, query: str = "", status: str = "") -> QuerySet[Domain]:
    """Custom domains of every workspace, for the console: not the platform sub-domains.
    `status` is "verified" or "pending"."""
    platform = Q(domain__endswith="." + settings.APP_DOMAIN) | Q(domain__endswith="." + settings.PORTAL_DOMAIN)
    domains = Domain.objects.select_related("tenant").exclude(platform & Q(verification_token=""))
    if query:
        domains = domains.filter(Q(domain__icontains=query) | Q(tenant__slug__icontains=query) | Q(tenant__name__icontains=query))
    if status == "verified":
        domains = domains.filter(is_verified=True)
    elif status == "pending":
        domains = domains.filter(is_verified=False)
    return domains.order_by("-created_at", "pk")
