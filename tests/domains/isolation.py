"""Isolation-matrix rows for custom domains (see tests/test_isolation.py): the settings
page is for owners and admins, the API for their sessions and keys. The domain is
acme's, unverified."""

URLS = {
    "settings_domains": ("get", "admin"),
    "settings_domain_verify": ("post", "admin"),
    "settings_domain_primary": ("post", "admin"),
    "settings_domain_remove": ("post", "admin"),
    "api_domain-list": ("get", "api"),
    "api_domain-detail": ("get", "api"),
    "api_domain-verify": ("post", "api"),
    "api_domain-primary": ("post", "api"),
}


def url_args(name, tenant):
    from tenants.models import Domain

    if name in ("settings_domains", "api_domain-list"):
        return []
    domain, _created = Domain.objects.get_or_create(
        domain="secret-crm.example.com",
        defaults={"tenant": tenant, "surface": "app", "is_primary": False, "verification_token": "isolation-token"},
    )
    return [domain.pk]
