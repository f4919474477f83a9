from django.urls import path

from . import views

urlpatterns = [
    path("", views.tenant_list, name="console_tenants"),
    path("tenants/<slug:slug>/", views.tenant_detail, name="console_tenant"),
    path("tenants/<slug:slug>/suspend/", views.tenant_suspend_view, name="console_tenant_suspend"),
    path("tenants/<slug:slug>/resume/", views.tenant_resume_view, name="console_tenant_resume"),
    path("tenants/<slug:slug>/impersonate/<int:membership_id>/", views.impersonate, name="console_impersonate"),
    path("tenants/<slug:slug>/plan/", views.tenant_plan_override, name="console_tenant_plan"),
    path("billing/", views.billing_overview, name="console_billing"),
    path("plans/", views.plan_list, name="console_plans"),
    path("plans/<slug:code>/", views.plan_edit, name="console_plan_edit"),
    path("audit/", views.audit_log, name="console_audit"),
    path("domains/", views.domain_list, name="console_domains"),
]
