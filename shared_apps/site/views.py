"""The public site: landing, pricing, signup."""

import django_otp
from django.conf import settings
from allauth.core import ratelimit
from allauth.core.internal import ratelimit as ratelimit_core
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from billing.catalogue import plan_cards
from shared_apps.accounts.errors import AccountError
from shared_apps.accounts.services.handoff import handoff_issue
from tenants.errors import SlugInvalid, SlugTaken, TenantError
from tenants.hosts import platform_hostname
from tenants.services.provisioning import tenant_slug_check
from tenants.slugs import suggest_slug

from .forms import WorkspaceSignupForm
from .services import workspace_signup


def landing(request):
    return render(request, "site/landing.html", {"plans": plan_cards()})


def pricing(request):
    return render(request, "site/pricing.html", {"plans": plan_cards()})


def signup(request):
    user = request.user if request.user.is_authenticated else None
    form = WorkspaceSignupForm(request.POST if request.method == "POST" else None, user=user, initial={"slug": request.GET.get("slug", "")})
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data.get("email") or user.email
        if not ratelimit.consume(request, action="signup", key=key):
            form.add_error(None, _("Too many sign-ups from here. Please wait a few minutes and try again."))
        else:
            try:
                owner, tenant = workspace_signup(
                    request=request,
                    company_name=form.cleaned_data["company_name"],
                    slug=form.cleaned_data["slug"],
                    email=form.cleaned_data.get("email", ""),
                    password=form.cleaned_data.get("password", ""),
                    user=user,
                )
            except (SlugInvalid, SlugTaken) as exc:
                form.add_error("slug", exc.message)
            except (AccountError, TenantError) as exc:
                form.add_error(None, exc.message)
            else:
                device_id = None
                if user is not None and user.is_verified():
                    device_id = request.session.get(django_otp.DEVICE_ID_SESSION_KEY)
                return redirect(handoff_issue(user=owner, tenant=tenant, otp_device_id=device_id))
    return render(request, "site/signup.html", {"form": form, "app_domain": settings.APP_DOMAIN})


@require_GET
def slug_check(request):
    """As-you-type answer for the signup form: is this address free?"""
    # allauth's public helper skips GET requests; its core limiter counts them when asked.
    if not ratelimit_core.consume(request, app="allauth.account", action="slug_check", limit_get=True):
        return JsonResponse(
            {"available": False, "code": "rate_limited", "message": _("Too many checks. Please wait a minute.")},
            status=429,
        )
    raw = request.GET.get("slug", "")
    suggestion = suggest_slug(request.GET.get("name", "")) if not raw else ""
    slug = raw or suggestion
    if not slug:
        return JsonResponse({"slug": "", "available": False, "message": ""})
    try:
        slug = tenant_slug_check(slug)
    except (SlugInvalid, SlugTaken) as exc:
        return JsonResponse({"slug": slug, "available": False, "code": exc.code, "message": str(exc.message)})
    return JsonResponse(
        {
            "slug": slug,
            "available": True,
            "host": platform_hostname(slug, "app"),
            "message": _("%(host)s is available.") % {"host": platform_hostname(slug, "app")},
        }
    )
