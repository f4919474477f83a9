"""REST API routes of tickets, mounted under /api/v1/ by tenant_apps/integrations/api_urls.py."""

from rest_framework.routers import SimpleRouter

from .api.views import TicketViewSet

router = SimpleRouter()
router.register("tickets", TicketViewSet, basename="api_ticket")

urlpatterns = router.urls
