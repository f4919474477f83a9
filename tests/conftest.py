"""Test personas and plumbing.

Tenants are created once per test session (schema creation is the slow part), in the
test database that pytest-django builds with `migrate` (which is migrate_schemas here,
template included). Every test then runs in a transaction that is rolled back, so it
may change the personas freely.

Personas: tenant_a ("acme") and tenant_b ("globex"); in tenant_a an owner, an admin, a
sales_rep and a read_only member; `outsider` owns tenant_b; `platform_staff` is a
platform admin with TOTP set up. Charlie-style rule: the outsider must get nothing of
tenant_a's.
"""

import email
import socket
import threading
from dataclasses import dataclass, field
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client

from tests.helpers import PASSWORD, make_user, totp_now

PERSONAS = {
    "owner": ("owner@acme.test", "Olivia Owner", "acme", "owner"),
    "admin": ("admin@acme.test", "Adam Admin", "acme", "admin"),
    "sales_rep": ("sales@acme.test", "Sam Sales", "acme", "sales"),
    "read_only": ("reader@acme.test", "Rita Reader", "acme", "read_only"),
    "outsider": ("charlie@globex.test", "Charlie Outsider", "globex", "owner"),
}


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_keepdb, django_db_createdb,
    django_db_modify_db_settings,
):
    """The test database (always: browser tests need it without a django_db mark),
    then the personas."""
    from django.test.utils import setup_databases, teardown_databases

    keepdb = {"keepdb": True} if django_db_keepdb and not django_db_createdb else {}
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=request.config.option.verbose, interactive=False, aliases={"default"}, **keepdb)
        # A kept database (--reuse-db) has them from the run that made it.
        if not keepdb or not _personas_exist():
            _create_personas()
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            connection.close()
            teardown_databases(config, verbosity=request.config.option.verbose)


def _personas_exist() -> bool:
    from shared_apps.accounts.models import User

    connection.set_schema_to_public()
    return User.objects.filter(email=PERSONAS["owner"][0]).exists()


def _create_personas():
    from shared_apps.accounts.models import Membership
    from tenants.services import tenant_provision

    connection.set_schema_to_public()
    users = {key: make_user(email, name) for key, (email, name, _slug, _role) in PERSONAS.items()}
    # Like every new workspace, on a card-less trial of Pro: room for the personas and the
    # API. Tests of the plans' limits move acme to another plan (tests/billing/conftest.py).
    tenants = {
        "acme": tenant_provision(slug="acme", name="Acme Ltd", owner=users["owner"], method="clone"),
        "globex": tenant_provision(slug="globex", name="Globex", owner=users["outsider"], method="clone"),
    }
    for key, (_email, _name, slug, role) in PERSONAS.items():
        if role != "owner":
            Membership.objects.create(user=users[key], tenant=tenants[slug], role=role)
    staff = make_user("staff@tessera.test", "Platform Staff", is_staff=True)
    _enable_totp(staff)
    connection.set_schema_to_public()


def _enable_totp(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    type(user).objects.filter(pk=user.pk).update(two_factor_enabled=True)


@pytest.fixture(scope="session", autouse=True)
def _outbox_email_backend(django_test_environment):
    """Django's test set-up swaps in the locmem mail backend; we test the real path:
    outbox rows, delivered over SMTP to the loopback server below."""
    settings.EMAIL_BACKEND = "shared_apps.outbox.backends.OutboxEmailBackend"


@pytest.fixture(autouse=True)
def _clean_state():
    """Every test starts in the public schema, in English, with empty caches."""
    from django.utils import translation

    connection.set_schema_to_public()
    translation.activate(settings.LANGUAGE_CODE)
    caches["default"].clear()
    caches["shared"].clear()
    from tenants import hosts

    hosts._local.clear()
    yield
    connection.set_schema_to_public()


def _user(email):
    from shared_apps.accounts.models import User

    return User.objects.get(email=email)


@pytest.fixture
def tenant_a(db):
    from tenants.models import Tenant

    return Tenant.objects.get(slug="acme")


@pytest.fixture
def tenant_b(db):
    from tenants.models import Tenant

    return Tenant.objects.get(slug="globex")


@pytest.fixture
def owner(db):
    return _user(PERSONAS["owner"][0])


@pytest.fixture
def admin(db):
    return _user(PERSONAS["admin"][0])


@pytest.fixture
def sales_rep(db):
    return _user(PERSONAS["sales_rep"][0])


@pytest.fixture
def read_only(db):
    return _user(PERSONAS["read_only"][0])


@pytest.fixture
def outsider(db):
    return _user(PERSONAS["outsider"][0])


@pytest.fixture
def platform_staff(db):
    return _user("staff@tessera.test")


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def public_client():
    return Client(HTTP_HOST="localhost")


@pytest.fixture
def app_client():
    return Client(HTTP_HOST="acme.localhost")


@pytest.fixture
def app_client_b():
    return Client(HTTP_HOST="globex.localhost")


@pytest.fixture
def portal_client():
    return Client(HTTP_HOST="acme.portal.localhost")


@pytest.fixture
def totp():
    return totp_now


# --- a real SMTP server on loopback ------------------------------------------------


@dataclass
class _Inbox:
    messages: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"


@pytest.fixture(scope="session")
def _smtp_server():
    inbox = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_PORT = port
    yield inbox
    controller.stop()


@pytest.fixture
def mailbox(_smtp_server, db):
    """Deliver the outbox through the loopback SMTP server and read what arrived.

    `mailbox()` returns the messages received since the test started."""
    from shared_apps.outbox.services import outbox_sweep

    with _smtp_server.lock:
        _smtp_server.messages.clear()

    def deliver():
        outbox_sweep(older_than_seconds=-60)
        with _smtp_server.lock:
            return list(_smtp_server.messages)

    return deliver


@pytest.fixture
def in_acme(tenant_a):
    """Run service and selector calls inside tenant_a's schema (as a request on its host)."""
    connection.set_tenant(tenant_a)
    yield tenant_a
    connection.set_schema_to_public()


@pytest.fixture
def restricted(in_acme):
    """tenant_a with "sales reps see only their own records" on."""
    type(in_acme).objects.filter(pk=in_acme.pk).update(sales_see_own_only=True)
    in_acme.sales_see_own_only = True
    from tenants.hosts import host_cache_invalidate

    host_cache_invalidate(tenant=in_acme)
    connection.set_tenant(in_acme)
    return in_acme


@pytest.fixture
def client_for(in_acme):
    """client_for(user) -> a client signed in on acme's host; the connection stays in
    acme's schema so that the test can read and write its rows."""
    from tests.helpers import sign_in

    def make(user):
        client = Client(HTTP_HOST="acme.localhost")
        sign_in(client, user, tenant=in_acme)
        connection.set_tenant(in_acme)
        return client

    return make
