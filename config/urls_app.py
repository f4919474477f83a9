"""URLs of a workspace's staff app ({slug}.APP_DOMAIN or its custom domain)."""

from django.urls import include, path

from themes.errors_views import handler400, handler403, handler404, handler429, handler500  # noqa: F401

from shared_apps.accounts.views import handoff, invitations
from themes import views as themes

urlpatterns = [
    path("", include("tenant_apps.workspace.urls")),
    path("contacts/", include("tenant_apps.contacts.urls")),
    path("companies/", include("tenant_apps.companies.urls")),
    path("deals/", include("tenant_apps.deals.urls")),
    path("timeline/", include("tenant_apps.activities.urls")),
    path("records/", include("tenant_apps.records.urls")),
    path("tasks/", include("tenant_apps.tasks.urls")),
    path("tickets/", include("tenant_apps.tickets.urls")),
    path("notifications/", include("tenant_apps.notifications.urls")),
    path("search/", include("tenant_apps.search.urls")),
    path("sales/", include("tenant_apps.sales.pdf_urls")),
    path("sales/", include("tenant_apps.sales.urls")),
    path("imports/", include("tenant_apps.imports.urls")),
    path("assistant/", include("tenant_apps.assistant.urls")),
    path("sales/documents/", include("tenant_apps.sales.send_urls")),
    path("sales/payments/", include("tenant_apps.sales.payment_urls")),
    path("settings/", include("tenant_apps.records.settings_urls")),
    path("settings/pipelines/", include("tenant_apps.deals.settings_urls")),
    path("settings/sales-setup/", include("tenant_apps.sales.settings_urls")),
    path("settings/integrations/", include("tenant_apps.integrations.urls")),
    path("settings/billing/", include("billing.urls_app")),
    path("settings/payments/", include("billing.connect_urls")),
    path("settings/templates/", include("tenant_apps.templates.urls")),
    path("settings/assistant/", include("tenant_apps.assistant.settings_urls")),
    path("", include("portal.app_urls")),
    path("settings/domains/", include("tenants.urls_app")),
    path("assistant/", include("tenant_apps.assistant.feature_urls")),
    path("api/", include("tenant_apps.integrations.api_urls")),
    path("accounts/", include("allauth.urls")),
    path("account/", include("shared_apps.accounts.urls")),
    path("auth/handoff/", handoff.handoff, name="handoff"),
    path("invite/<str:token>/", invitations.accept, name="invitation_accept"),
    path("impersonation/end/", handoff.impersonation_stop, name="impersonation_stop"),
    path("branding/logo/<str:logo_hash>/", themes.logo, name="branding_logo"),
    path("i18n/", include("django.conf.urls.i18n")),
]
