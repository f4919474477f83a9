from django.urls import path

from . import views

urlpatterns = [
    path("", views.tenant_list, name="console_tenants"),
    path("tenants/<slug:slug>/", views.tenant_detail, name="console_tenant"),
    path("tenants/<slug:slug>/suspend/", views.tenant_suspend_view, name="console_tenant_suspend"),
    path("tenants/<slug:slug>/resume/", views.tenant_resume_view, name="console_tenant_resume"),
    path("tenants/<slug:slug>/impersonate/<int:membership_id>/", views.impersonate, name="console_impersonate"),
    path("audit/", views.audit_log, name="console_audit"),
]
