"""Reading companies: one with its page, duplicates by domain."""

from django.db.models import Count

from tenant_apps.records.errors import RecordNotFound
from tenant_apps.records.visibility import visible

from .models import Company


def company_get(*, user, pk) -> Company:
    company = (
        visible(Company.objects.all(), user)
        .select_related("owner", "created_by")
        .prefetch_related("tags")
        .filter(pk=pk)
        .first()
    )
    if company is None:
        raise RecordNotFound()
    return company


def company_duplicates(*, company: Company, user) -> list[Company]:
    if not company.domain:
        return []
    return list(visible(Company.objects.filter(domain=company.domain).exclude(pk=company.pk), user)[:20])


def company_duplicate_groups(*, user, limit: int = 50) -> list[tuple[str, list[Company]]]:
    """(shared domain, companies) groups that `user` can see, largest first."""
    shared = list(
        Company.objects.exclude(domain="").values("domain").annotate(n=Count("pk")).filter(n__gt=1)
        .order_by("-n", "domain").values_list("domain", flat=True)[:limit]
    )
    companies = visible(Company.objects.filter(domain__in=shared), user).select_related("owner").order_by("pk")
    groups = []
    for domain in shared:
        members = [c for c in companies if c.domain == domain]
        if len(members) > 1:
            groups.append((domain, members))
    return groups


def company_for_email_domain(*, domain: str):
    """The company whose domain an e-mail address belongs to (for imports and new contacts)."""
    if not domain:
        return None
    return Company.objects.filter(domain=domain).order_by("pk").first()
