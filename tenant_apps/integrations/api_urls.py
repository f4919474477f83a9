from django.urls import include, path

urlpatterns: list = [
    path("v1/", include("tenant_apps.imports.api_urls")),
]
