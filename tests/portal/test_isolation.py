"""Every portal page against the people who must get nothing from it.

Rows: PORTAL_URLS below and `PORTAL_URLS` in tests/<area>/portal_isolation.py, each
{url name: (method, kind)} with url_args(name, tenant, access) -> reverse() args (it may
create objects of `access`'s customer in `tenant`). Kinds:
  customer  needs a portal customer of this workspace
  object    like customer, and the args name one customer's object: another customer of
            the same workspace (another company) gets a 404
  open      sign-in pages, the language switch: nothing of anyone's behind them
  token     reached without a session, guarded by its token (checked in its own tests)
A portal URL without a row fails test_every_portal_url_is_covered.
"""

import importlib
import pkgutil

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.helpers import sign_in
from tests.portal_helpers import make_customer, portal_client_for

PORTAL_URLS = {
    "portal_home": ("get", "open"),
    "portal_login": ("get", "open"),
    "portal_logout": ("post", "open"),
    "branding_logo": ("get", "token"),
    "set_language": ("post", "open"),
}
AREA_ARGS = {}
for _info in pkgutil.iter_modules(tests.__path__):
    if _info.ispkg:
        try:
            _module = importlib.import_module(f"tests.{_info.name}.portal_isolation")
        except ModuleNotFoundError:
            continue
        for _name, _row in _module.PORTAL_URLS.items():
            PORTAL_URLS[_name] = _row
            AREA_ARGS[_name] = _module.url_args
GUARDED = ("customer", "object")
HOST = "acme.portal.localhost"


def _names():
    names = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and not namespace:
                names.add(pattern.name)

    walk(get_resolver("config.urls_portal").url_patterns)
    return names


def test_every_portal_url_is_covered():
    assert _names() - set(PORTAL_URLS) == set()


def _url(name, tenant, access):
    args = AREA_ARGS[name](name, tenant, access) if name in AREA_ARGS else []
    if name == "branding_logo":
        args = ["0" * 16]
    return reverse(name, urlconf="config.urls_portal", args=args)


def _call(client, method, url):
    return client.post(url) if method == "post" else client.get(url)


def _sent_to_sign_in(response):
    return response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.fixture
def nora(tenant_a):
    return make_customer(tenant_a, email="nora@northwind.test", company="Northwind")


@pytest.mark.django_db
@pytest.mark.parametrize("name", [n for n, (_m, kind) in PORTAL_URLS.items() if kind in GUARDED])
class TestPortalIsolation:
    def test_anonymous_is_sent_to_sign_in(self, name, tenant_a, nora):
        method, _kind = PORTAL_URLS[name]
        response = _call(Client(HTTP_HOST=HOST), method, _url(name, tenant_a, nora))
        assert _sent_to_sign_in(response), (response.status_code, response.get("Location"))

    def test_another_workspaces_customer_gets_nothing(self, name, tenant_a, tenant_b, nora):
        method, _kind = PORTAL_URLS[name]
        bea = make_customer(tenant_b, email="bea@umbrella.test", company="Umbrella", name="Bea Beyond")
        theirs = portal_client_for(bea, tenant_b)
        replayed = Client(HTTP_HOST=HOST)
        replayed.cookies[settings.SESSION_COOKIE_NAME] = theirs.cookies[settings.SESSION_COOKIE_NAME].value
        response = _call(replayed, method, _url(name, tenant_a, nora))
        assert _sent_to_sign_in(response), (response.status_code, response.get("Location"))

    def test_a_staff_session_gets_nothing(self, name, tenant_a, nora, owner):
        """The workspace's own owner, signed in on the app or even on the portal host,
        is no customer: the portal shows them nothing."""
        method, _kind = PORTAL_URLS[name]
        app = Client(HTTP_HOST="acme.localhost")
        sign_in(app, owner, tenant=tenant_a)
        replayed = Client(HTTP_HOST=HOST)
        replayed.cookies[settings.SESSION_COOKIE_NAME] = app.cookies[settings.SESSION_COOKIE_NAME].value
        assert _sent_to_sign_in(_call(replayed, method, _url(name, tenant_a, nora)))
        on_portal = Client(HTTP_HOST=HOST)
        sign_in(on_portal, owner, tenant=tenant_a, surface="portal")
        assert _sent_to_sign_in(_call(on_portal, method, _url(name, tenant_a, nora)))

    def test_another_company_of_the_same_workspace_gets_nothing(self, name, tenant_a, nora):
        method, kind = PORTAL_URLS[name]
        otto = make_customer(tenant_a, email="otto@initech.test", company="Initech", name="Otto Other")
        response = _call(portal_client_for(otto, tenant_a), method, _url(name, tenant_a, nora))
        if kind == "object":
            assert response.status_code == 404, response.status_code
        else:
            assert response.status_code < 500
            assert "nora@northwind.test" not in response.content.decode(errors="ignore")


@pytest.mark.django_db
def test_a_portal_session_never_opens_the_app(tenant_a, nora):
    portal = portal_client_for(nora, tenant_a)
    replayed = Client(HTTP_HOST="acme.localhost")
    replayed.cookies[settings.SESSION_COOKIE_NAME] = portal.cookies[settings.SESSION_COOKIE_NAME].value
    response = replayed.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    # Signed in on the app host itself (no membership): still nothing.
    app = Client(HTTP_HOST="acme.localhost")
    sign_in(app, nora.user, tenant=tenant_a)
    response = app.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert app.get("/api/v1/contacts/").status_code in (401, 403)


@pytest.mark.django_db
def test_a_disabled_access_signs_the_customer_out(tenant_a, nora):
    from django.db import connection

    client = portal_client_for(nora, tenant_a)
    connection.set_tenant(tenant_a)
    type(nora).objects.filter(pk=nora.pk).update(status="disabled")
    connection.set_schema_to_public()
    response = client.get("/")
    assert response.status_code == 200
    assert b"nora@northwind.test" not in response.content
