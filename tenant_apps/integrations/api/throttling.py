"""Requests per API key (the rate is REST_FRAMEWORK's DEFAULT_THROTTLE_RATES["api_key"])."""

from rest_framework.throttling import SimpleRateThrottle

from ..models import ApiKey


class ApiKeyRateThrottle(SimpleRateThrottle):
    scope = "api_key"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None  # the UI's session calls are not limited here
        # The cache key function already separates workspaces (django-tenants).
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
