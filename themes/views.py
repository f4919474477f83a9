"""Branding assets served per host, and the friendly CSRF failure page."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import Branding


@require_GET
def logo(request, logo_hash):
    """The current workspace's logo; the hash in the URL makes it cacheable for good."""
    branding = Branding.objects.first()
    if branding is None or not branding.logo or not branding.logo_hash.startswith(logo_hash) or len(logo_hash) < 16:
        raise Http404
    try:
        handle = branding.logo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=branding.logo_content_type or "application/octet-stream")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def csrf_failure(request, reason=""):
    return render(request, "themes/csrf_failure.html", status=403)
