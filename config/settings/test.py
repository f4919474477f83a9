"""The test suite: real PostgreSQL and Redis, fast hashing, tasks run in-process."""

from .base import *  # noqa: F401,F403
from .base import CACHES, env

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
