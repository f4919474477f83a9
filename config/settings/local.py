"""Development: `make run`."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
WHITENOISE_USE_FINDERS = True
# Developers run models on their own machine (Ollama on loopback, say).
AI_ENDPOINT_ALLOW_PRIVATE_HOSTS = env.bool("AI_ENDPOINT_ALLOW_PRIVATE_HOSTS", default=True)
