"""Production. Refuses to start on settings that would be unsafe."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import APP_DOMAIN, DEBUG, DEFAULT_SECRET_KEY, SECRET_KEY, env

problems = []
if DEBUG:
    problems.append("DJANGO_DEBUG is on; production must run with DEBUG off.")
if not SECRET_KEY or SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50:
    problems.append(
        "SECRET_KEY is unset, the development default, or shorter than 50 characters; "
        "set SECRET_KEY (or SECRET_KEY_FILE) to a long random value."
    )
if not env.str("APP_DOMAIN", default="") or APP_DOMAIN in ("localhost", "127.0.0.1"):
    problems.append(
        "APP_DOMAIN is unset or local; set it to the platform's domain (e.g. tessera.app) "
        "and PORTAL_DOMAIN to the portal's (e.g. clients.tessera.app)."
    )
if problems:
    raise ImproperlyConfigured("Refusing to start:\n  - " + "\n  - ".join(problems))

URL_SCHEME = "https"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The ingress appends the client's address to X-Forwarded-For; rate limits need it.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
