"""Reads for the console: workspaces with their numbers."""

from django.db.models import Count, Q

from shared_apps.accounts.models import Membership
from tenants.metrics import tenant_file_bytes, tenant_record_counts
from tenants.models import Tenant
from tenants.postgres import schema_size_bytes


def tenant_search(*, q="", status="", plan=None, created_from=None, created_to=None):
    qs = Tenant.objects.select_related("plan").annotate(member_count=Count("memberships", distinct=True))
    if q:
        q = q.strip()
        qs = qs.filter(
            Q(slug__icontains=q) | Q(name__icontains=q) | Q(memberships__user__email__icontains=q)
        ).distinct()
    if status:
        qs = qs.filter(status=status)
    if plan is not None:
        qs = qs.filter(plan=plan)
    if created_from:
        qs = qs.filter(created_at__date__gte=created_from)
    if created_to:
        qs = qs.filter(created_at__date__lte=created_to)
    return qs.order_by("-created_at")


def tenant_overview(*, tenant: Tenant) -> dict:
    return {
        "members": Membership.objects.filter(tenant=tenant).select_related("user").order_by("role", "user__email"),
        "domains": tenant.domains.order_by("surface", "-is_primary", "domain"),
        "records": tenant_record_counts(tenant),
        "database_bytes": schema_size_bytes(tenant.schema_name),
        "file_bytes": tenant_file_bytes(tenant),
    }
