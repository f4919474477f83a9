"""Helpers for tests: users, signed-in clients, TOTP codes, mail links."""

import re
from importlib import import_module

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpRequest

PASSWORD = "correct-horse-battery-9"
BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def make_user(email, full_name="", *, is_staff=False, verified=True, password=PASSWORD):
    from allauth.account.models import EmailAddress

    from shared_apps.accounts.models import User

    user = User.objects.create_user(email, password, full_name=full_name, is_staff=is_staff)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def sign_in(client, user, *, tenant=None, surface=None, otp_device=None):
    """Put a session for `user` on `client` exactly as a real sign-in on that host would:
    bound to the tenant's schema and surface (public when no tenant)."""
    engine = import_module(settings.SESSION_ENGINE)
    request = HttpRequest()
    request.session = engine.SessionStore()
    request.surface = surface or ("app" if tenant is not None else "public")
    request.tenant = tenant
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    request.user = AnonymousUser()
    if tenant is not None:
        connection.set_tenant(tenant)
    try:
        if otp_device is not None:
            user.otp_device = otp_device
        login(request, user, backend=BACKEND)
        request.session.save()
    finally:
        connection.set_schema_to_public()
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    return request.session.session_key


def totp_now(device, offset=0):
    """The current code of a django-otp TOTPDevice."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():0{device.digits}d}"


def link_in(message, pattern=r"https?://[^\s\"'<>]+"):
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(pattern, body)
    assert match, body
    return match.group(0)


class as_member:
    """Run service calls as if inside a request on `tenant`'s host by `user`."""

    def __init__(self, user, tenant):
        self.user, self.tenant = user, tenant

    def __enter__(self):
        connection.set_tenant(self.tenant)
        return self.user

    def __exit__(self, *exc):
        connection.set_schema_to_public()
