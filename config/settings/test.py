"""The test suite: real PostgreSQL and Redis, fast hashing, tasks run in-process."""

import os

# Tests use their own Redis databases, flushed between tests.
os.environ.setdefault("REDIS_CACHE_DB", "11")
os.environ.setdefault("REDIS_BROKER_DB", "12")

from .base import *  # noqa: E402,F401,F403
from .base import BASE_DIR, CACHES, LOGGING, env  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
TENANT_SPARE_POOL_SIZE = 0
TENANT_HOST_LOCAL_CACHE_SECONDS = 0
WHITENOISE_USE_FINDERS = True
# Separate key space so that a test run never reads a developer's cache.
for _alias in CACHES.values():
    _alias["KEY_PREFIX"] = "tessera-test-" + env.str("PYTEST_XDIST_WORKER", default="main") + ":" + _alias["KEY_PREFIX"]
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Delivery goes to the loopback SMTP server started by tests/conftest.py.
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = 0
EMAIL_USE_TLS = False
TENANT_BACKUP_DIR = BASE_DIR / ".local" / "test-backups"
MEDIA_ROOT = BASE_DIR / ".local" / "test-media"
LOGGING["loggers"]["mail.log"] = {"level": "WARNING"}  # aiosmtpd's per-command chatter
LOGGING["loggers"]["tenants.services.provisioning"] = {"level": "WARNING"}
# The fake OpenAI server listens on loopback; tests of the private-address refusal turn it off.
AI_ENDPOINT_ALLOW_PRIVATE_HOSTS = True
# Custom-domain checks never ask the internet's DNS: by default they go to a loopback
# port where nothing answers (a quick failure); tests/domains runs a DNS server there.
DOMAIN_DNS_NAMESERVERS = ["127.0.0.1"]
DOMAIN_DNS_PORT = 9
DOMAIN_DNS_TIMEOUT_SECONDS = 1.0
