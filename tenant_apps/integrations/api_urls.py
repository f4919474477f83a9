"""The REST API, mounted at /api/ on a workspace's host by config/urls_app.py. Other apps
add their routes under v1/ from their own api_urls modules."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from .api.errors import api_not_found
from .api.records import CompanyViewSet, ContactViewSet, DealViewSet
from .api.setup import CustomFieldViewSet, MemberViewSet, PipelineViewSet, TagViewSet
from .api.work import ActivityViewSet, TaskViewSet

router = SimpleRouter()
router.register("contacts", ContactViewSet, basename="api_contact")
router.register("companies", CompanyViewSet, basename="api_company")
router.register("deals", DealViewSet, basename="api_deal")
router.register("pipelines", PipelineViewSet, basename="api_pipeline")
router.register("tasks", TaskViewSet, basename="api_task")
router.register("activities", ActivityViewSet, basename="api_activity")
router.register("custom-fields", CustomFieldViewSet, basename="api_custom_field")
router.register("tags", TagViewSet, basename="api_tag")
router.register("members", MemberViewSet, basename="api_member")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/", include("tenant_apps.search.api_urls")),
    path("v1/", include("tenant_apps.imports.api_urls")),
    path("v1/", include("tenant_apps.sales.api_urls")),
    path("v1/", include("billing.api_urls")),
    path("v1/", include("portal.api_urls")),
    path("v1/", include("tenants.api_urls")),
    path("v1/", include("tenant_apps.assistant.api_urls")),
    path("v1/", include("tenant_apps.tickets.api_urls")),
    path("v1/assistant/", include("tenant_apps.assistant.feature_api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="integrations/swagger_ui.html"),
         name="swagger-ui"),
    # Last: every other path under /api/ answers in the API's error shape.
    re_path(r"^(?P<path>.*)$", api_not_found),
]
