"""Every page and endpoint against the people who must get nothing from it.

For each URL of the staff app and the console: an anonymous client, another tenant's
user (a real session of theirs, replayed on this host) and the wrong role get a
redirect, a 403 or a 404, never data. A URL added without a row fails
test_every_url_is_covered.

Rows live here for the platform's URLs and in tests/<area>/isolation.py for each app:
that module defines URLS = {url name: (method, kind)} and url_args(name, tenant) -> the
reverse() args (it may create objects in `tenant`, the acme workspace).
Kinds: member, admin (wrong role: a sales rep), manager (a sales rep), writer (a
read-only member), api (answers 401/403 instead of redirecting), token, open.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from shared_apps.accounts.models import Invitation, Membership, UserSession
from tests.helpers import sign_in

# name -> (method, kind). kinds:
#   member   any member may use it; everyone else is sent to sign in
#   admin    owners and admins only; sales reps get 403
#   token    reachable without a session, guarded by its token/hash (checked elsewhere)
#   open     no data behind it (sign-in pages, language switch)
APP_URLS = {
    "dashboard": ("get", "member"),
    "settings_profile": ("get", "admin"),
    "settings_branding": ("get", "admin"),
    "settings_members": ("get", "admin"),
    "settings_member_role": ("post", "admin"),
    "settings_member_remove": ("post", "admin"),
    "settings_invitation_resend": ("post", "admin"),
    "settings_invitation_revoke": ("post", "admin"),
    "settings_security": ("get", "admin"),
    "settings_session_revoke": ("post", "admin"),
    "account_profile": ("get", "member"),
    "account_security": ("get", "member"),
    "account_session_revoke": ("post", "member"),
    "account_sessions_revoke_others": ("post", "member"),
    "account_workspaces": ("get", "member"),
    "workspace_open": ("get", "member"),
    "two_factor_setup": ("get", "member"),
    "two_factor_recovery_codes": ("get", "member"),
    "two_factor_recovery_codes_new": ("post", "member"),
    "two_factor_disable": ("get", "member"),
    "two_factor_verify": ("get", "member"),
    "two_factor_authenticate": ("get", "open"),
    "handoff": ("get", "token"),
    "invitation_accept": ("get", "token"),
    "impersonation_stop": ("post", "open"),
    "branding_logo": ("get", "token"),
    "set_language": ("post", "open"),
}
def _area_modules():
    import importlib
    import pkgutil

    import tests

    modules = []
    for info in pkgutil.iter_modules(tests.__path__):
        if info.ispkg:
            try:
                modules.append(importlib.import_module(f"tests.{info.name}.isolation"))
            except ModuleNotFoundError:
                continue
    return modules


AREA_ARGS = {}
for _module in _area_modules():
    for _name, _row in _module.URLS.items():
        APP_URLS[_name] = _row
        AREA_ARGS[_name] = _module.url_args

WRONG_ROLE = {"admin": "sales_rep", "manager": "sales_rep", "writer": "read_only"}
GUARDED = ("member", "admin", "manager", "writer", "api")

CONSOLE_URLS = {
    "console_tenants": "get",
    "console_tenant": "get",
    "console_tenant_suspend": "post",
    "console_tenant_resume": "post",
    "console_impersonate": "post",
    "console_audit": "get",
    "console_tenant_plan": "post",
    "console_billing": "get",
    "console_plans": "get",
    "console_plan_edit": "get",
    "console_domains": "get",
}


def _names(urlconf):
    names = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and not namespace:
                names.add(pattern.name)

    walk(get_resolver(urlconf).url_patterns)
    return names


def test_every_url_is_covered():
    allauth = {n for n in _names("config.urls_app") if n.startswith("account_") and n not in APP_URLS}
    allauth |= {n for n in _names("config.urls_app") if n.startswith(("schema", "swagger", "redoc")) and n not in APP_URLS}
    # allauth's own pages (sign-in, password reset...) are sign-in pages: they show
    # nothing of a workspace; the ones that need a session are checked below.
    assert _names("config.urls_app") - allauth - set(APP_URLS) == set()
    assert {n for n in _names("config.urls_public") if n.startswith("console_")} == set(CONSOLE_URLS)


def _url(name, tenant, other_tenant):
    from django.urls import reverse

    if name in AREA_ARGS:
        return reverse(name, urlconf="config.urls_app", args=AREA_ARGS[name](name, tenant))
    args = {
        "settings_member_role": lambda: [Membership.objects.get(tenant=tenant, role="read_only").pk],
        "settings_member_remove": lambda: [Membership.objects.get(tenant=tenant, role="read_only").pk],
        "settings_invitation_resend": lambda: [_invitation(tenant).pk],
        "settings_invitation_revoke": lambda: [_invitation(tenant).pk],
        "settings_session_revoke": lambda: [_session(tenant).pk],
        "account_session_revoke": lambda: [_session(tenant).pk],
        "workspace_open": lambda: [tenant.slug],
        "invitation_accept": lambda: ["not-a-token"],
        "branding_logo": lambda: ["0" * 16],
    }.get(name, lambda: [])()
    return reverse(name, urlconf="config.urls_app", args=args)


def _invitation(tenant):
    from django.utils import timezone

    return Invitation.objects.get_or_create(
        tenant=tenant, email="pending@example.com",
        defaults={"role": "sales", "token_hash": "x" * 64, "expires_at": timezone.now() + timezone.timedelta(days=1)},
    )[0]


def _session(tenant):
    reader = Membership.objects.get(tenant=tenant, role="read_only").user
    client = Client(HTTP_HOST="acme.localhost")
    key = sign_in(client, reader, tenant=tenant)
    return UserSession.objects.get(session_key=key)


def _call(client, method, url):
    return client.post(url) if method == "post" else client.get(url)


def _denied(response):
    if response.status_code in (302, 303):
        location = response["Location"]
        return "/accounts/login/" in location or location.startswith("http://localhost")
    return response.status_code in (403, 404, 405)


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n, (_m, kind) in APP_URLS.items() if kind in GUARDED])
class TestAppIsolation:
    def test_anonymous_gets_nothing(self, name, tenant_a, tenant_b):
        method, kind = APP_URLS[name]
        response = _call(Client(HTTP_HOST="acme.localhost"), method, _url(name, tenant_a, tenant_b))
        if kind == "api":
            assert response.status_code in (401, 403)
            return
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_another_tenants_user_gets_nothing(self, name, tenant_a, tenant_b, outsider):
        method, _kind = APP_URLS[name]
        theirs = Client(HTTP_HOST="globex.localhost")
        sign_in(theirs, outsider, tenant=tenant_b)
        replayed = Client(HTTP_HOST="acme.localhost")
        replayed.cookies[settings.SESSION_COOKIE_NAME] = theirs.cookies[settings.SESSION_COOKIE_NAME].value
        response = _call(replayed, method, _url(name, tenant_a, tenant_b))
        if APP_URLS[name][1] == "api":
            assert response.status_code in (401, 403), response.status_code
        else:
            assert _denied(response), (response.status_code, response.get("Location"))
        assert outsider.email not in response.content.decode()

    def test_wrong_role(self, name, tenant_a, tenant_b, request):
        method, kind = APP_URLS[name]
        persona = WRONG_ROLE.get(kind, "sales_rep")
        client = Client(HTTP_HOST="acme.localhost")
        sign_in(client, request.getfixturevalue(persona), tenant=tenant_a)
        response = _call(client, method, _url(name, tenant_a, tenant_b))
        if kind in WRONG_ROLE:
            assert response.status_code in (403, 404), response.status_code
        else:
            assert response.status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["settings_member_role", "settings_member_remove", "settings_invitation_resend",
             "settings_invitation_revoke", "settings_session_revoke"],
)
def test_admin_cannot_reach_another_tenants_objects(name, tenant_a, tenant_b, admin, outsider):
    """An id from globex used on acme's host by acme's admin: 404, and nothing changes."""
    from django.urls import reverse
    from django.utils import timezone

    other_membership = Membership.objects.get(tenant=tenant_b, user=outsider)
    other_invitation = Invitation.objects.create(
        tenant=tenant_b, email="x@example.com", role="sales", token_hash="y" * 64,
        expires_at=timezone.now() + timezone.timedelta(days=1),
    )
    theirs = Client(HTTP_HOST="globex.localhost")
    other_session = UserSession.objects.get(session_key=sign_in(theirs, outsider, tenant=tenant_b))
    pk = {
        "settings_member_role": other_membership.pk, "settings_member_remove": other_membership.pk,
        "settings_invitation_resend": other_invitation.pk, "settings_invitation_revoke": other_invitation.pk,
        "settings_session_revoke": other_session.pk,
    }[name]
    client = Client(HTTP_HOST="acme.localhost")
    sign_in(client, admin, tenant=tenant_a)
    response = client.post(reverse(name, urlconf="config.urls_app", args=[pk]), {"role": "read_only"})
    assert response.status_code == 404
    other_membership.refresh_from_db()
    other_invitation.refresh_from_db()
    assert other_membership.role == "owner"
    assert other_invitation.revoked_at is None
    assert theirs.get("/").status_code == 200


def _console_url(name, tenant_a):
    from django.urls import reverse

    args = {
        "console_tenant": [tenant_a.slug],
        "console_tenant_suspend": [tenant_a.slug],
        "console_tenant_resume": [tenant_a.slug],
        "console_impersonate": [tenant_a.slug, Membership.objects.filter(tenant=tenant_a).first().pk],
        "console_tenant_plan": [tenant_a.slug],
        "console_plan_edit": ["pro"],
    }.get(name, [])
    return reverse(name, urlconf="config.urls_public", args=args)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CONSOLE_URLS))
class TestConsoleIsolation:
    def test_anonymous_is_sent_to_sign_in(self, name, tenant_a):
        response = _call(Client(HTTP_HOST="localhost"), CONSOLE_URLS[name], _console_url(name, tenant_a))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_a_workspace_owner_gets_404(self, name, tenant_a, owner):
        client = Client(HTTP_HOST="localhost")
        sign_in(client, owner)
        response = _call(client, CONSOLE_URLS[name], _console_url(name, tenant_a))
        assert response.status_code == 404
        tenant_a.refresh_from_db()
        assert tenant_a.status == "active"

    def test_staff_without_a_verified_session_must_pass_2fa(self, name, tenant_a, platform_staff):
        client = Client(HTTP_HOST="localhost")
        sign_in(client, platform_staff)  # password only
        response = _call(client, CONSOLE_URLS[name], _console_url(name, tenant_a))
        assert response.status_code == 302
        assert response["Location"].startswith("/account/2fa/verify/")

    def test_console_does_not_exist_on_workspace_hosts(self, name, tenant_a, owner):
        client = Client(HTTP_HOST="acme.localhost")
        sign_in(client, owner, tenant=tenant_a)
        assert _call(client, CONSOLE_URLS[name], _console_url(name, tenant_a)).status_code == 404
