"""Routing: the Host header picks the schema and the urlconf of one of three surfaces.

public  APP_DOMAIN (and www.)      -> public schema, config.urls_public
app     {slug}.APP_DOMAIN / custom -> tenant schema, config.urls_app
portal  {slug}.PORTAL_DOMAIN / ... -> tenant schema, config.urls_portal

A host that names no (verified) domain gets a clear 404 page, never the public site;
a suspended workspace gets a "suspended" page on both of its surfaces.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.urls import set_urlconf
from django_tenants.middleware.main import TenantMainMiddleware

from . import pages
from .hosts import host_resolve

PUBLIC = "public"


class TenantRoutingMiddleware(TenantMainMiddleware):
    def process_request(self, request):
        connection.set_schema_to_public()
        if request.path in ("/healthz", "/healthz/"):
            return HttpResponse("ok", content_type="text/plain")
        try:
            hostname, _port = split_domain_port(request.get_host())
        except DisallowedHost:
            # A malformed Host header: nothing to route to.
            return pages.unknown_host(request, hostname="")
        hostname = hostname.rstrip(".")

        if hostname in settings.PUBLIC_HOSTS:
            request.tenant = connection.tenant
            request.surface = PUBLIC
            self._route(request, PUBLIC)
            return None

        resolved = host_resolve(hostname)
        if resolved is None:
            return pages.unknown_host(request, hostname=hostname)
        tenant = resolved.tenant
        if tenant.is_suspended:
            return pages.suspended(request, tenant=tenant)
        if not tenant.is_ready:
            return pages.preparing(request, tenant=tenant)

        tenant.domain_url = hostname
        request.tenant = tenant
        request.surface = resolved.surface
        connection.set_tenant(tenant)
        self._route(request, resolved.surface)
        return None

    @staticmethod
    def _route(request, surface):
        request.urlconf = settings.SURFACE_URLCONFS[surface]
        set_urlconf(request.urlconf)
