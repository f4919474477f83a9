"""URLs of a workspace's customer portal ({slug}.PORTAL_DOMAIN or its custom domain)."""

from django.urls import include, path

from themes.errors_views import handler400, handler403, handler404, handler429, handler500  # noqa: F401

from portal import views as portal
from portal import views_account as portal_account
from portal import views_auth as portal_auth
from portal import views_documents as portal_documents
from themes import views as themes

urlpatterns = [
    path("", portal.home, name="portal_home"),
    path("login/", portal_auth.login_view, name="portal_login"),
    path("logout/", portal_auth.logout_view, name="portal_logout"),
    # The customer's documents and payments, their details and their data.
    path("offers/", portal_documents.offer_list, name="portal_offer_list"),
    path("offers/<int:pk>/", portal_documents.offer_detail, name="portal_offer_detail"),
    path("offers/<int:pk>/answer/", portal_documents.offer_answer, name="portal_offer_answer"),
    path("invoices/", portal_documents.invoice_list, name="portal_invoice_list"),
    path("invoices/<int:pk>/", portal_documents.invoice_detail, name="portal_invoice_detail"),
    path("credit-notes/", portal_documents.credit_note_list, name="portal_credit_note_list"),
    path("credit-notes/<int:pk>/", portal_documents.credit_note_detail, name="portal_credit_note_detail"),
    path("documents/<int:pk>/pdf/", portal_documents.document_pdf_view, name="portal_document_pdf"),
    path("payments/", portal_documents.payment_list, name="portal_payment_list"),
    path("profile/", portal_account.profile, name="portal_profile"),
    path("profile/data/", portal_account.data_export, name="portal_data_export"),
    path("login/link/<str:token>/", portal_auth.magic_link, name="portal_magic_link"),
    path("invitation/<str:token>/", portal_auth.invite_accept, name="portal_invite_accept"),
    path("signup/", portal_auth.signup, name="portal_signup"),
    path("signup/<str:token>/", portal_auth.signup_confirm, name="portal_signup_confirm"),
    path("password/reset/", portal_auth.password_reset, name="portal_password_reset"),
    path("password/reset/<str:token>/", portal_auth.password_reset_confirm, name="portal_password_reset_confirm"),
    path("account/", portal_auth.account, name="portal_account"),
    path("support/", include("tenant_apps.tickets.portal_urls")),
    path("invoices/", include("portal.payment_urls")),
    path("branding/logo/<str:logo_hash>/", themes.logo, name="branding_logo"),
    path("i18n/", include("django.conf.urls.i18n")),
]
