"""The pages a host gets when it cannot be served: unknown, suspended, being prepared.

They are rendered before LocaleMiddleware runs, so the language is taken from the
request here.
"""

from django.shortcuts import render
from django.utils import translation

from .hosts import public_url


def _render(request, template, context, status):
    language = translation.get_language_from_request(request)
    with translation.override(language):
        response = render(request, template, {**context, "public_url": public_url("/")}, status=status)
        response["Content-Language"] = language
    response["Cache-Control"] = "no-store"
    return response


def unknown_host(request, *, hostname):
    return _render(request, "tenants/unknown_host.html", {"hostname": hostname}, status=404)


def suspended(request, *, tenant):
    return _render(request, "tenants/suspended.html", {"workspace_name": tenant.name}, status=403)


def preparing(request, *, tenant):
    response = _render(request, "tenants/preparing.html", {"workspace_name": tenant.name}, status=503)
    response["Retry-After"] = "5"
    return response
