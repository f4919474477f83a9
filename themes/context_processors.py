"""Theme for every template: the surface, the tenant's brand and the app navigation."""

from functools import partial

from django.db import connection

from billing.entitlements import entitlement_allows
from tenants.hosts import public_url

from portal.navigation import portal_nav

from .navigation import nav_for, settings_tabs_for, topbar_widgets
from .selectors import branding_get, default_branding


LAYOUTS = {"app": "themes/app_base.html", "portal": "themes/portal_base.html"}


def theme(request):
    surface = getattr(request, "surface", "public")
    tenant = getattr(request, "tenant", None)
    in_tenant = surface in ("app", "portal") and getattr(tenant, "pk", None) and connection.schema_name == tenant.schema_name
    brand = branding_get() if in_tenant else default_branding()
    context = {
        "surface": surface,
        "layout_template": LAYOUTS.get(surface, "themes/public_base.html"),
        "public_signup_url": public_url("/signup/"),
        "brand": brand,
        "brand_css": ";".join(f"{k}:{v}" for k, v in brand["css"].items()),
        "workspace": tenant if in_tenant else None,
    }
    user = getattr(request, "user", None)
    if surface == "app" and user is not None and user.is_authenticated:
        context["nav_sections"] = nav_for(user)
        context["topbar_widgets"] = topbar_widgets()
        # Called by the template only on settings pages.
        context["settings_tabs"] = partial(settings_tabs_for, user)
    if surface == "portal" and in_tenant:
        # On plans with white label the portal names and links to the workspace alone.
        context["white_label"] = entitlement_allows(tenant, "white_label")
        context["platform_url"] = public_url("/")
        context["portal_access"] = getattr(request, "portal_access", None)
        if context["portal_access"] is not None:
            context["portal_nav"] = portal_nav(request)
    return context
