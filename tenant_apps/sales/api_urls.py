"""REST API routes of sales, mounted under /api/v1/ by tenant_apps/integrations/api_urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import views

router = SimpleRouter()
router.register("products", views.ProductViewSet, basename="api_product")
router.register("tax-rates", views.TaxRateViewSet, basename="api_tax_rate")
router.register("documents", views.DocumentViewSet, basename="api_document")
router.register("payments", views.PaymentViewSet, basename="api_payment")

urlpatterns = [
    *router.urls,
    path("sales-settings/", views.SalesSettingsView.as_view(), name="api_sales_settings"),
]
