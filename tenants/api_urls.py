"""REST API routes of domains, mounted under /api/v1/ by tenant_apps/integrations/api_urls.py."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .api import DomainViewSet

router = SimpleRouter()
router.register("domains", DomainViewSet, basename="api_domain")

urlpatterns = [path("", include(router.urls))]
