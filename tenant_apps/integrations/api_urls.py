from django.urls import include, path

urlpatterns = [
    path("v1/", include("tenant_apps.search.api_urls")),
    path("v1/", include("tenant_apps.imports.api_urls")),
]
